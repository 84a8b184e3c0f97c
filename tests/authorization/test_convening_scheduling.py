"""Who may do what with series and repeating convenings, for every new query and mutation: an
anonymous caller, a member, a host organization's contact, an admin, and the admin's read-only
token. A refused call changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from hub.access.auth.personal_tokens import READ, make_personal_token
from hub.infrastructure.models import Convening, ConveningSeries
from hub.interfaces.graphql.node import to_global_id
from tests.convenings.factories import create_contact, create_member, create_series
from tests.factories import create_admin, create_organization

ANONYMOUS, MEMBER, CONTACT, ADMIN, READ_TOKEN = (
    "anonymous",
    "member",
    "host contact",
    "admin",
    "admin's read-only token",
)
OK, F, U = "ok", "FORBIDDEN", "UNAUTHENTICATED"
RULE = "{frequency: MONTHLY, interval: 3, byWeekday: [TH], bySetPosition: 2, count: 4}"
TEMPLATE = (
    'title: "Committee", kind: COMMITTEE_MEETING, startsAt: "2031-01-01T10:00:00", '
    'endsAt: "2031-01-01T12:00:00", timeZone: "America/Los_Angeles", hostIds: [$host], '
    f'virtualUrl: "https://meet.example.org/c", recurrence: {RULE}'
)
OPERATIONS = {
    "conveningSeries": "{ conveningSeries { totalCount } }",
    "repeatingConveningDates": (
        '{ repeatingConveningDates(input: {startsAt: "2031-01-01T10:00:00", '
        f'endsAt: "2031-01-01T12:00:00", timeZone: "America/Los_Angeles", recurrence: {RULE}}})'
        " { dates { startsAt } errors { code } } }"
    ),
    "createConveningSeries": (
        'mutation { createConveningSeries(input: {name: "New"}) { series { id } errors { code } } }'
    ),
    "renameConveningSeries": (
        "mutation ($series: ID!) { renameConveningSeries(input: {id: $series, name: "
        '"Renamed"}) { series { id } errors { code } } }'
    ),
    "scheduleRepeatingConvenings(seriesSlug)": (
        "mutation ($host: ID!) { scheduleRepeatingConvenings(input: {"
        f'{TEMPLATE}, seriesSlug: "kept"}}) {{ convenings {{ id }} errors {{ code }} }} }}'
    ),
    "scheduleRepeatingConvenings(newSeriesName)": (
        "mutation ($host: ID!) { scheduleRepeatingConvenings(input: {"
        f'{TEMPLATE}, newSeriesName: "New"}}) {{ convenings {{ id }} errors {{ code }} }} }}'
    ),
}
# What each caller gets: OK, or the GraphQL error's code.
EXPECTED = {
    "conveningSeries": {ANONYMOUS: U, MEMBER: F, CONTACT: OK, ADMIN: OK, READ_TOKEN: OK},
    "repeatingConveningDates": {ANONYMOUS: U, MEMBER: F, CONTACT: OK, ADMIN: OK},
    "createConveningSeries": {ANONYMOUS: U, MEMBER: F, CONTACT: F, ADMIN: OK, READ_TOKEN: F},
    "renameConveningSeries": {ANONYMOUS: U, MEMBER: F, CONTACT: F, ADMIN: OK, READ_TOKEN: F},
    # A contact schedules for their own organization, into an existing series.
    "scheduleRepeatingConvenings(seriesSlug)": {
        ANONYMOUS: U,
        MEMBER: F,
        CONTACT: OK,
        ADMIN: OK,
        READ_TOKEN: F,
    },
    "scheduleRepeatingConvenings(newSeriesName)": {
        ANONYMOUS: U,
        MEMBER: F,
        CONTACT: F,
        ADMIN: OK,
    },
}
CASES = [(operation, role) for operation, roles in EXPECTED.items() for role in roles]


@dataclass
class World:
    tokens: dict[str, str | None]
    variables: dict[str, str]


async def arrange(session, gql) -> World:
    host = await create_organization(session, name="SCOPE")
    contact = await create_contact(session, host)
    member = await create_member(session)
    admin = await create_admin(session)
    series = await create_series(session, slug="kept", name="Kept")
    now = datetime.now(UTC)
    read_only = await make_personal_token(
        session,
        person_id=admin.id,
        name="read",
        scopes=frozenset({READ}),
        expires_at=now + timedelta(days=1),
        now=now,
    )
    await session.commit()
    people = {MEMBER: member, CONTACT: contact, ADMIN: admin}
    return World(
        tokens={
            ANONYMOUS: None,
            READ_TOKEN: read_only.secret,
            **{role: gql.token_for(person) for role, person in people.items()},
        },
        variables={
            "host": to_global_id("Organization", host.id),
            "series": to_global_id("ConveningSeries", series.id),
        },
    )


async def state(session) -> tuple:
    """Everything these calls may change: the series and the convenings."""
    session.expire_all()
    series = (await session.execute(select(ConveningSeries.slug, ConveningSeries.name))).all()
    convenings = await session.scalar(select(func.count()).select_from(Convening))
    await session.rollback()  # SQLite: a read transaction holds the write lock
    return sorted(series), convenings


def outcome(body: dict) -> str:
    if body.get("errors"):
        return body["errors"][0]["extensions"]["code"]
    [value] = body["data"].values()
    if isinstance(value, dict) and value.get("errors"):
        return value["errors"][0]["code"]
    return OK


@pytest.mark.parametrize(("operation", "role"), CASES)
async def test_who_may_list_preview_and_schedule(session, gql, operation, role):
    # Given a host organization with its contact, a member, an admin and a series
    world = await arrange(session, gql)
    before = await state(session)
    text = OPERATIONS[operation]
    wanted = {k: v for k, v in world.variables.items() if f"${k}" in text}

    # When the caller asks
    body = (await gql.post(text, wanted, token=world.tokens[role])).json()

    # Then they get what the policy says, and a refusal changed nothing
    assert outcome(body) == EXPECTED[operation][role], body
    after = await state(session)
    if outcome(body) != OK or operation in ("conveningSeries", "repeatingConveningDates"):
        assert after == before
    else:
        assert after != before

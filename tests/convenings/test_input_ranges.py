"""Every input field of the convening mutations: what each kind of bad input gets (the field
and the code), all of a mutation's mistakes at once, and nothing stored. Dates stay within
1970-2200, counts within what a convening can hold, and a wall-clock time that a daylight-saving
change skips is refused rather than stored as a zero-length convening."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from hub.infrastructure.models import Convening, OutboxMessage
from tests.convenings.factories import create_convening, create_member
from tests.factories import create_admin, create_organization
from tests.graphql.convenings.documents import RSVP, convening_input, gid, rsvp_input, stored

CREATE = """
mutation ($input: CreateConveningInput!) {
  createConvening(input: $input) { convening { title } errors { field code message } }
}
"""
UPDATE = """
mutation ($input: UpdateConveningInput!) {
  updateConvening(input: $input) { convening { title } errors { field code message } }
}
"""

# (the fields given, the (field, code) pairs refused), for creating and for changing.
BAD_FIELDS = [
    ({"title": "  "}, [("title", "REQUIRED")]),
    ({"title": "x" * 201}, [("title", "TOO_LONG")]),
    ({"title": "Strategy\x07session"}, [("title", "INVALID_CHARACTERS")]),
    ({"title": "Strategy\nsession"}, [("title", "INVALID_CHARACTERS")]),
    ({"venueName": "Hall\x1b[31m"}, [("venueName", "INVALID_CHARACTERS")]),
    ({"timeZone": "Mars/Olympus_Mons"}, [("timeZone", "INVALID_TIME_ZONE")]),
    ({"virtualUrl": "ftp://example.org"}, [("virtualUrl", "INVALID_URL")]),
    ({"languages": ["not a language"]}, [("languages", "INVALID_LANGUAGE")]),
    ({"capacity": -1}, [("capacity", "NEGATIVE_CAPACITY")]),
    ({"capacity": 100_001}, [("capacity", "CAPACITY_TOO_LARGE")]),
    ({"capacity": 2_147_483_647}, [("capacity", "CAPACITY_TOO_LARGE")]),
    ({"delegateLimit": 0}, [("delegateLimit", "INVALID_DELEGATE_LIMIT")]),
    ({"delegateLimit": 1_001}, [("delegateLimit", "INVALID_DELEGATE_LIMIT")]),
    (
        {"startsAt": "1969-12-31T09:00:00", "endsAt": "1969-12-31T15:00:00"},
        [("startsAt", "DATE_OUT_OF_RANGE"), ("endsAt", "DATE_OUT_OF_RANGE")],
    ),
    ({"endsAt": "2200-01-02T15:00:00"}, [("endsAt", "DATE_OUT_OF_RANGE")]),
    ({"rsvpDeadline": "1900-01-01T00:00:00Z"}, [("rsvpDeadline", "DATE_OUT_OF_RANGE")]),
    ({"endsAt": "2031-01-27T08:00:00"}, [("endsAt", "ENDS_BEFORE_START")]),
    ({"rsvpDeadline": "2031-01-28T00:00:00"}, [("rsvpDeadline", "DEADLINE_AFTER_START")]),
    # 02:00-03:00 does not exist in Los Angeles on 9 March 2031: clocks go from 02:00 to 03:00.
    (
        {"startsAt": "2031-03-09T02:00:00", "endsAt": "2031-03-09T03:00:00"},
        [("startsAt", "NONEXISTENT_LOCAL_TIME")],
    ),
    (
        {"startsAt": "2031-03-09T01:00:00", "endsAt": "2031-03-09T02:30:00"},
        [("endsAt", "NONEXISTENT_LOCAL_TIME")],
    ),
    (
        {"title": "", "capacity": -5, "delegateLimit": 5_000, "virtualUrl": "nope"},
        [
            ("title", "REQUIRED"),
            ("virtualUrl", "INVALID_URL"),
            ("capacity", "NEGATIVE_CAPACITY"),
            ("delegateLimit", "INVALID_DELEGATE_LIMIT"),
        ],
    ),
]
CREATE_ONLY = [
    ({"hostIds": []}, [("hostIds", "HOST_REQUIRED")]),
    ({"venueName": None}, [("venueName", "PLACE_REQUIRED")]),
    (
        {"hostIds": [], "timeZone": "Nowhere", "title": "A\x07"},
        [
            ("title", "INVALID_CHARACTERS"),
            ("timeZone", "INVALID_TIME_ZONE"),
            ("hostIds", "HOST_REQUIRED"),
        ],
    ),
]


def _refused(body: dict, name: str) -> list[tuple[str, str]]:
    assert "errors" not in body, body
    payload = body["data"][name]
    assert payload["convening"] is None
    return [(e["field"], e["code"]) for e in payload["errors"]]


async def _convenings(runtime: Any) -> int:
    async with runtime.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(Convening)) or 0)


@pytest.mark.parametrize(("fields", "refused"), BAD_FIELDS + CREATE_ONLY)
async def test_creating_with_bad_input_names_every_mistake_and_stores_nothing(
    session, gql, runtime, fields, refused
):
    admin = await create_admin(session)
    host = await create_organization(session)
    await session.commit()

    body = await gql(CREATE, convening_input(host.id, **fields), as_=admin)

    assert _refused(body, "createConvening") == refused
    assert await _convenings(runtime) == 0


@pytest.mark.parametrize(("fields", "refused"), BAD_FIELDS)
async def test_changing_with_bad_input_names_every_mistake_and_changes_nothing(
    session, gql, runtime, fields, refused
):
    admin = await create_admin(session)
    start = datetime(2031, 1, 27, 17, 0, tzinfo=UTC)  # 09:00 in Los Angeles
    convening = await create_convening(session, starts_at=start, ends_at=start + timedelta(hours=6))
    await session.commit()
    before = await _snapshot(runtime, convening.id)

    body = await gql(UPDATE, {"input": {"id": gid("Convening", convening.id), **fields}}, as_=admin)

    assert _refused(body, "updateConvening") == refused
    assert await _snapshot(runtime, convening.id) == before


async def _snapshot(runtime: Any, convening_id: int) -> tuple[Any, ...]:
    """The stored convening's fields and RSVPs, read in a session of its own."""
    async with runtime.sessions() as session:
        found = await session.get_one(Convening, convening_id)
        fields = (found.title, found.starts_at, found.ends_at, found.capacity, found.venue_name)
    return (*fields, await stored(runtime, convening_id))


NEEDS = [
    ({"childcareCount": -1}, [("needs.childcareCount", "NEGATIVE_CHILDCARE")]),
    ({"childcareCount": 21}, [("needs.childcareCount", "CHILDCARE_TOO_LARGE")]),
    ({"childcareCount": 2_147_483_647}, [("needs.childcareCount", "CHILDCARE_TOO_LARGE")]),
    ({"dietary": "x" * 2001}, [("needs.dietary", "TOO_LONG")]),
    (
        {"interpretationLanguage": "fr", "childcareCount": 99, "accessibilityNote": "y" * 2001},
        [
            ("needs.interpretationLanguage", "INTERPRETATION_NOT_OFFERED"),
            ("needs.accessibilityNote", "TOO_LONG"),
            ("needs.childcareCount", "CHILDCARE_TOO_LARGE"),
        ],
    ),
]


@pytest.mark.parametrize(("needs", "refused"), NEEDS)
async def test_an_rsvp_with_bad_needs_names_every_mistake_and_stores_nothing(
    session, gql, runtime, needs, refused
):
    member = await create_member(session)
    convening = await create_convening(session, capacity=10)
    await session.commit()
    before = await stored(runtime, convening.id)

    body = await gql(RSVP, rsvp_input(convening, needs=needs), as_=member)

    assert "errors" not in body, body
    assert body["data"]["rsvp"]["rsvp"] is None
    assert [(e["field"], e["code"]) for e in body["data"]["rsvp"]["errors"]] == refused
    assert await stored(runtime, convening.id) == before
    async with runtime.sessions() as fresh:
        assert await fresh.scalar(select(func.count()).select_from(OutboxMessage)) == 0


async def test_two_large_childcare_answers_no_longer_break_the_totals(session, gql, runtime):
    host = await create_organization(session)
    contact = await create_member(session, host)
    convening = await create_convening(session, [host], capacity=10)
    people = [await create_member(session) for _ in range(2)]
    await session.commit()

    answers = [
        await gql(RSVP, rsvp_input(convening, needs={"childcareCount": 2_147_483_647}), as_=p)
        for p in people
    ]
    totals = await gql(
        "query ($id: ID!) { node(id: $id) { ... on Convening { counts { going } } } }",
        {"id": gid("Convening", convening.id)},
        as_=contact,
    )

    assert [a["data"]["rsvp"]["errors"][0]["code"] for a in answers] == ["CHILDCARE_TOO_LARGE"] * 2
    assert totals == {"data": {"node": {"counts": {"going": 0}}}}

"""Scheduling: who may create, change and cancel a convening; what a valid one is; times that
stay where they were put in the convening's own zone."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from hub.infrastructure.models import Convening, ConveningHost
from tests.convenings.factories import (
    create_contact,
    create_convening,
    create_member,
    create_series,
)
from tests.factories import create_admin, create_organization
from tests.graphql.convenings.documents import convening_input, gid, stored

CREATE = """
mutation ($input: CreateConveningInput!) {
  createConvening(input: $input) {
    convening { title kind startsAt endsAt timeZone rsvpDeadline capacity delegateLimit languages
                visibility status sequence venueName series { slug } hosts { name } }
    errors { field code message }
  }
}
"""

UPDATE = """
mutation ($input: UpdateConveningInput!) {
  updateConvening(input: $input) {
    convening { startsAt endsAt venueName title sequence }
    errors { field code message }
  }
}
"""

CANCEL = """
mutation ($id: ID!) {
  cancelConvening(input: {id: $id}) { convening { status sequence } errors { field code } }
}
"""


_input = convening_input


async def _count_convenings(runtime: Any) -> int:
    async with runtime.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(Convening)) or 0)


async def test_a_host_contact_schedules_a_convening(session, gql):
    host = await create_organization(session, name="SCOPE")
    contact = await create_contact(session, host)
    await create_series(session, slug="strategy-2031", name="2031 Strategy Sessions")
    await session.commit()

    body = await gql(
        CREATE,
        _input(
            host.id,
            seriesSlug="strategy-2031",
            capacity=70,
            delegateLimit=3,
            languages=["es", "es", "ko"],
            rsvpDeadline="2031-01-20T17:00:00",
        ),
        as_=contact,
    )

    assert body["data"]["createConvening"] == {
        "convening": {
            "title": "Collaborative Strategy Session",
            "kind": "STRATEGY_SESSION",
            "startsAt": "2031-01-27T09:00:00-08:00",
            "endsAt": "2031-01-27T15:00:00-08:00",
            "timeZone": "America/Los_Angeles",
            "rsvpDeadline": "2031-01-20T17:00:00-08:00",
            "capacity": 70,
            "delegateLimit": 3,
            "languages": ["es", "ko"],
            "visibility": "MEMBERS",
            "status": "SCHEDULED",
            "sequence": 0,
            "venueName": "SCOPE, South LA",
            "series": {"slug": "strategy-2031"},
            "hosts": [{"name": "SCOPE"}],
        },
        "errors": [],
    }


async def test_nine_in_the_morning_stays_nine_across_daylight_saving(session, gql, runtime):
    # Given two convenings at 09:00 Los Angeles time, in winter (PST) and summer (PDT)
    admin = await create_admin(session)
    host = await create_organization(session)
    await session.commit()
    winter = await gql(
        CREATE,
        _input(host.id, startsAt="2031-03-08T09:00:00", endsAt="2031-03-08T12:00:00"),
        as_=admin,
    )
    summer = await gql(
        CREATE,
        _input(host.id, startsAt="2031-03-10T09:00:00", endsAt="2031-03-10T12:00:00"),
        as_=admin,
    )

    # Then each shows 09:00 with its own offset, and UTC holds the true instants
    assert winter["data"]["createConvening"]["convening"]["startsAt"] == "2031-03-08T09:00:00-08:00"
    assert summer["data"]["createConvening"]["convening"]["startsAt"] == "2031-03-10T09:00:00-07:00"
    async with runtime.sessions() as check:
        starts = list(
            await check.scalars(select(Convening.starts_at).order_by(Convening.starts_at))
        )
    assert [s.strftime("%H:%M") for s in starts] == ["17:00", "16:00"]

    # And a list read back shows them the same way
    listed = await gql.data(
        '{ convenings(from: "2031-01-01T00:00:00Z") { edges { node { startsAt endsAt } } } }',
        as_=admin,
    )
    assert [e["node"]["startsAt"] for e in listed["convenings"]["edges"]] == [
        "2031-03-08T09:00:00-08:00",
        "2031-03-10T09:00:00-07:00",
    ]


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"timeZone": "America/Springfield"}, "timeZone", "INVALID_TIME_ZONE"),
        ({"endsAt": "2031-01-27T08:00:00"}, "endsAt", "ENDS_BEFORE_START"),
        ({"capacity": -1}, "capacity", "NEGATIVE_CAPACITY"),
        ({"delegateLimit": 0}, "delegateLimit", "INVALID_DELEGATE_LIMIT"),
        ({"rsvpDeadline": "2031-01-28T09:00:00"}, "rsvpDeadline", "DEADLINE_AFTER_START"),
        ({"languages": ["Spanish!"]}, "languages", "INVALID_LANGUAGE"),
        ({"venueName": None}, "venueName", "PLACE_REQUIRED"),
        ({"virtualUrl": "zoom"}, "virtualUrl", "INVALID_URL"),
        ({"title": "  "}, "title", "REQUIRED"),
        ({"hostIds": []}, "hostIds", "HOST_REQUIRED"),
        ({"hostIds": ["T3JnYW5pemF0aW9uOjk5OTk5"]}, "hostIds", "UNKNOWN_ORGANIZATION"),
        ({"seriesSlug": "no-such-series"}, "seriesSlug", "UNKNOWN_SERIES"),
    ],
)
async def test_an_invalid_convening_is_refused(session, gql, runtime, fields, field, code):
    admin = await create_admin(session)
    host = await create_organization(session)
    await session.commit()

    body = await gql(CREATE, _input(host.id, **fields), as_=admin)

    assert body["data"]["createConvening"]["convening"] is None
    assert [(e["field"], e["code"]) for e in body["data"]["createConvening"]["errors"]] == [
        (field, code)
    ]
    assert await _count_convenings(runtime) == 0


async def test_a_contact_hosts_only_with_their_own_organization(session, gql, runtime):
    mine, theirs = await create_organization(session), await create_organization(session)
    contact = await create_contact(session, mine)
    await session.commit()

    body = await gql(CREATE, _input(theirs.id), as_=contact)

    assert body["data"]["createConvening"]["errors"][0]["code"] == "NOT_YOUR_ORGANIZATION"
    assert await _count_convenings(runtime) == 0


async def test_a_plain_member_may_not_schedule(session, gql, runtime):
    host = await create_organization(session)
    member = await create_member(session, host)
    await session.commit()

    body = await gql(CREATE, _input(host.id), as_=member)

    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await _count_convenings(runtime) == 0


async def test_a_change_of_time_or_place_raises_the_sequence(session, gql, runtime):
    host = await create_organization(session)
    contact = await create_contact(session, host)
    convening = await create_convening(session, hosts=[host])
    await session.commit()
    cid = gid("Convening", convening.id)

    retitled = await gql(UPDATE, {"input": {"id": cid, "title": "Renamed"}}, as_=contact)
    moved = await gql(
        UPDATE,
        {"input": {"id": cid, "startsAt": "2031-07-15T09:00:00", "endsAt": "2031-07-15T13:00:00"}},
        as_=contact,
    )
    relocated = await gql(UPDATE, {"input": {"id": cid, "venueName": "Oakland"}}, as_=contact)

    assert retitled["data"]["updateConvening"]["convening"]["sequence"] == 0
    assert moved["data"]["updateConvening"]["convening"] == {
        "startsAt": "2031-07-15T09:00:00-07:00",
        "endsAt": "2031-07-15T13:00:00-07:00",
        "venueName": "Community hall",
        "title": "Renamed",
        "sequence": 1,
    }
    assert relocated["data"]["updateConvening"]["convening"]["sequence"] == 2


async def test_an_update_that_ends_before_it_starts_changes_nothing(session, gql, runtime):
    host = await create_organization(session)
    contact = await create_contact(session, host)
    convening = await create_convening(session, hosts=[host])
    await session.commit()

    body = await gql(
        UPDATE,
        {
            "input": {
                "id": gid("Convening", convening.id),
                "endsAt": "2000-01-01T00:00:00Z",
                "title": "X",
            }
        },
        as_=contact,
    )

    assert body["data"]["updateConvening"]["errors"][0]["code"] == "ENDS_BEFORE_START"
    async with runtime.sessions() as check:
        kept = await check.get_one(Convening, convening.id)
        assert (kept.title, kept.ends_at) == (convening.title, convening.ends_at)


async def test_only_managers_change_a_convening(session, gql, runtime):
    host, other = await create_organization(session), await create_organization(session)
    outsider_contact = await create_contact(session, other)
    convening = await create_convening(session, hosts=[host])
    await session.commit()
    before = await stored(runtime, convening.id)

    body = await gql(
        UPDATE,
        {"input": {"id": gid("Convening", convening.id), "title": "Mine"}},
        as_=outsider_contact,
    )
    cancel = await gql(CANCEL, {"id": gid("Convening", convening.id)}, as_=outsider_contact)

    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert cancel["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await stored(runtime, convening.id) == before


async def test_cancelling_raises_the_sequence_once(session, gql, runtime):
    host = await create_organization(session)
    admin = await create_admin(session)
    contact = await create_contact(session, host)
    convening = await create_convening(session, hosts=[host])
    await session.commit()

    first = await gql(CANCEL, {"id": gid("Convening", convening.id)}, as_=admin)
    second = await gql(CANCEL, {"id": gid("Convening", convening.id)}, as_=admin)
    # Only an admin corrects a cancelled convening (tests/feeds/test_bad_events.py)
    retitle = await gql(
        UPDATE, {"input": {"id": gid("Convening", convening.id), "title": "X"}}, as_=contact
    )

    assert first["data"]["cancelConvening"] == {
        "convening": {"status": "CANCELLED", "sequence": 1},
        "errors": [],
    }
    assert second["data"]["cancelConvening"]["errors"] == [
        {"field": "id", "code": "ALREADY_CANCELLED"}
    ]
    assert retitle["data"]["updateConvening"]["errors"][0]["code"] == "CONVENING_CANCELLED"
    assert (await stored(runtime, convening.id)).sequence == 1


async def test_hosts_can_be_replaced(session, gql, runtime):
    admin = await create_admin(session)
    first, second = await create_organization(session), await create_organization(session)
    convening = await create_convening(session, hosts=[first])
    await session.commit()

    await gql(
        UPDATE,
        {
            "input": {
                "id": gid("Convening", convening.id),
                "hostIds": [gid("Organization", second.id)],
            }
        },
        as_=admin,
    )

    async with runtime.sessions() as check:
        hosts = list(await check.scalars(select(ConveningHost.organization_id)))
    assert hosts == [second.id]

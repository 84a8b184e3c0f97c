"""Who came: `attended` counts the GOING answers checked in at the door, so "3 of 3 checked in"
means all three GOING are in the room. Someone checked in at the door whose answer was MAYBE,
NOT_GOING or WAITLISTED is in the room: they become GOING (leaving the waitlist, even past
capacity) and attended. Both read paths count alike (on PostgreSQL the list compiles)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from hub.infrastructure.models import Convening, Organization, Person, Rsvp
from hub.infrastructure.models.base import utcnow
from hub.infrastructure.models.convenings import RsvpStatus
from tests.convenings.factories import create_contact, create_convening, create_member, create_rsvp
from tests.factories import create_organization
from tests.graphql.convenings.documents import gid, stored

COUNTS = "{ convenings { edges { node { counts { going maybe waitlisted attended } } } } }"
NODE_COUNTS = """
query ($id: ID!) {
  node(id: $id) { ... on Convening { counts { going maybe waitlisted attended } } }
}
"""
CHECK_IN = """
mutation ($id: ID!) {
  checkIn(input: {rsvpId: $id}) { rsvp { status waitlistPosition checkedInAt } errors { code } }
}
"""


@dataclass
class Door:
    host: Organization
    contact: Person
    convening: Convening  # capacity 2, both places taken
    going: list[Rsvp]
    maybe: Rsvp
    waiting: list[Rsvp]  # positions 1 and 2


@pytest.fixture
async def door(session: Any) -> Door:
    host = await create_organization(session)
    contact = await create_contact(session, host)
    convening = await create_convening(session, [host], capacity=2)
    going = [await create_rsvp(session, convening, await create_member(session)) for _ in "ab"]
    maybe = await create_rsvp(session, convening, await create_member(session), RsvpStatus.MAYBE)
    waiting = [
        await create_rsvp(
            session,
            convening,
            await create_member(session),
            RsvpStatus.WAITLISTED,
            waitlist_position=position,
        )
        for position in (1, 2)
    ]
    await session.commit()
    return Door(host, contact, convening, going, maybe, waiting)


async def _counts(gql: Any, door: Door) -> list[dict]:
    listed = await gql.data(COUNTS, as_=door.contact)
    one = await gql.data(NODE_COUNTS, {"id": gid("Convening", door.convening.id)}, as_=door.contact)
    return [edge["node"]["counts"] for edge in listed["convenings"]["edges"]] + [
        one["node"]["counts"]
    ]


async def test_attended_counts_only_going_answers_checked_in(session, gql, door):
    # Given one GOING checked in, and a MAYBE with a check-in (as older data holds)
    door.going[0].checked_in_at = utcnow()
    door.maybe.checked_in_at = utcnow()
    session.add_all([door.going[0], door.maybe])
    await session.commit()

    counts = await _counts(gql, door)

    assert counts == [{"going": 2, "maybe": 1, "waitlisted": 2, "attended": 1}] * 2


async def test_a_maybe_checked_in_at_the_door_becomes_going_and_attended(gql, runtime, door):
    done = await gql.data(CHECK_IN, {"id": gid("Rsvp", door.maybe.id)}, as_=door.contact)

    assert done["checkIn"]["errors"] == []
    assert done["checkIn"]["rsvp"]["status"] == "GOING"
    assert done["checkIn"]["rsvp"]["checkedInAt"] is not None
    after = await stored(runtime, door.convening.id)
    assert after.going_count == 3  # past the capacity of 2: they are in the room
    assert (
        await _counts(gql, door) == [{"going": 3, "maybe": 0, "waitlisted": 2, "attended": 1}] * 2
    )


async def test_someone_waiting_checked_in_leaves_the_waitlist_for_a_place(gql, runtime, door):
    first, second = door.waiting

    done = await gql.data(CHECK_IN, {"id": gid("Rsvp", first.id)}, as_=door.contact)

    assert done["checkIn"]["rsvp"]["status"] == "GOING"
    assert done["checkIn"]["rsvp"]["waitlistPosition"] is None
    after = await stored(runtime, door.convening.id)
    assert after.going_count == 3
    assert after.waitlist == [(second.person_id, 1)]
    assert (
        await _counts(gql, door) == [{"going": 3, "maybe": 1, "waitlisted": 1, "attended": 1}] * 2
    )

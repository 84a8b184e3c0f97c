"""Simultaneous answers over real HTTP: the convening's row lock keeps capacity exact."""

from __future__ import annotations

import asyncio

from tests.convenings.factories import create_convening, create_member, create_rsvp, create_waitlist
from tests.graphql.convenings.documents import CANCEL_RSVP, RSVP, gid, rsvp_input, stored


async def test_forty_simultaneous_answers_for_ten_places(session, gql, runtime):
    # Given a convening with ten places and forty people who want to come
    convening = await create_convening(session, capacity=10)
    people = [await create_member(session) for _ in range(40)]
    await session.commit()

    # When they all answer GOING at once
    responses = await asyncio.gather(
        *(gql.post(RSVP, rsvp_input(convening), as_=person) for person in people)
    )

    # Then exactly ten go, thirty wait in positions 1..30, and nobody answered twice
    assert [r.status_code for r in responses] == [200] * 40
    assert all(r.json()["data"]["rsvp"]["errors"] == [] for r in responses)
    after = await stored(runtime, convening.id)
    statuses = [status for _, status, _ in after.rsvps]
    assert statuses.count("GOING") == 10
    assert statuses.count("WAITLISTED") == 30
    assert sorted(position for _, position in after.waitlist) == list(range(1, 31))
    assert len({person for person, _, _ in after.rsvps}) == 40
    assert after.going_count == 10


async def test_a_double_submitted_answer_leaves_one_row(session, gql, runtime):
    convening = await create_convening(session, capacity=5)
    person = await create_member(session)
    await session.commit()

    responses = await asyncio.gather(
        *(gql.post(RSVP, rsvp_input(convening), as_=person) for _ in range(2))
    )

    assert [r.json()["data"]["rsvp"]["errors"] for r in responses] == [[], []]
    ids = {r.json()["data"]["rsvp"]["rsvp"]["id"] for r in responses}
    assert len(ids) == 1
    after = await stored(runtime, convening.id)
    assert after.rsvps == [(person.id, "GOING", None)]
    assert after.going_count == 1


async def test_simultaneous_cancellations_promote_in_order(session, gql, runtime):
    # Given two going and three waiting
    convening = await create_convening(session, capacity=2)
    going = [await create_member(session) for _ in range(2)]
    rsvps = [await create_rsvp(session, convening, p) for p in going]
    waiting = await create_waitlist(session, convening, 3)
    await session.commit()

    # When both who were going cancel at once
    await asyncio.gather(
        *(
            gql.post(CANCEL_RSVP, {"id": gid("Rsvp", rsvp.id)}, as_=person)
            for rsvp, person in zip(rsvps, going, strict=True)
        )
    )

    # Then exactly the first two in line go and the third moves to the front
    after = await stored(runtime, convening.id)
    assert [after.status_of(p.id) for p in waiting] == ["GOING", "GOING", "WAITLISTED"]
    assert after.waitlist == [(waiting[2].id, 1)]
    assert after.going_count == 2

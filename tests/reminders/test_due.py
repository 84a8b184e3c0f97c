"""Reminders go to exactly who still needs them, once."""

from __future__ import annotations

from datetime import timedelta

from hub.delivery.reminders.due import RemindersQueued, enqueue_due_reminders
from hub.infrastructure.db import transaction
from hub.infrastructure.models.base import utcnow
from hub.infrastructure.models.convenings import ConveningStatus, RsvpStatus
from tests.convenings.factories import create_convening, create_member, create_rsvp
from tests.infrastructure.outbox import outbox_rows
from tests.notifications.factories import cast_vote, create_proposal_in_voting, create_seat


async def run_reminders(runtime, now) -> RemindersQueued:
    async with transaction(runtime.sessions) as session:
        return await enqueue_due_reminders(session, now=now)


async def test_a_day_before_a_convening_everyone_going_is_reminded_once(
    session, runtime, worker, sendgrid_standin
):
    # Given a convening 23 hours away with one person of each answer
    now = utcnow()
    soon = await create_convening(session, title="Soon", starts_at=now + timedelta(hours=23))
    for status in RsvpStatus:
        person = await create_member(session, email=f"{status.lower()}@example.org")
        await create_rsvp(session, soon, person, status)
    # And people GOING to convenings that are too far off, cancelled, or already begun
    for title, starts_in, status in [
        ("Later", timedelta(hours=26), ConveningStatus.SCHEDULED),
        ("Off", timedelta(hours=5), ConveningStatus.CANCELLED),
        ("Begun", timedelta(hours=-1), ConveningStatus.SCHEDULED),
    ]:
        other = await create_convening(
            session, title=title, starts_at=now + starts_in, status=status
        )
        await create_rsvp(session, other, await create_member(session), RsvpStatus.GOING)
    await session.commit()

    # When the reminders run twice, an hour apart
    first = await run_reminders(runtime, now)
    second = await run_reminders(runtime, now + timedelta(hours=1))
    await worker.drain()

    # Then only the person GOING to the near convening was reminded, once
    assert (first.convenings, second.convenings) == (1, 0)
    (request,) = sendgrid_standin.requests
    assert (request.to, request.subject) == ("going@example.org", "Coming up: Soon")


async def test_a_day_before_voting_closes_only_seats_that_have_not_voted_are_reminded(
    session, runtime
):
    # Given a proposal closing in 20 hours: one seat has voted, one has not
    now = utcnow()
    voted = await create_seat(
        session,
        await create_member(session, email="voted-holder@example.org"),
        await create_member(session, email="voted-alternate@example.org"),
    )
    waiting = await create_seat(
        session,
        await create_member(session, email="waiting-holder@example.org"),
        await create_member(session, email="waiting-alternate@example.org"),
    )
    proposal = await create_proposal_in_voting(
        session, [voted, waiting], voting_closes_at=now + timedelta(hours=20)
    )
    await cast_vote(session, proposal, voted)
    # And a proposal closing in three days, which is not due
    await create_proposal_in_voting(
        session,
        [waiting],
        title="Later",
        voting_closes_at=now + timedelta(days=3),
    )
    await session.commit()

    # When the reminders run twice
    first = await run_reminders(runtime, now)
    second = await run_reminders(runtime, now + timedelta(hours=2))

    # Then the holder and alternate of the seat that has not voted got one each
    assert (first.votes, second.votes) == (2, 0)
    rows = await outbox_rows(runtime)
    assert [(r.kind, r.recipient_address) for r in rows] == [
        ("voting_reminder", "waiting-holder@example.org"),
        ("voting_reminder", "waiting-alternate@example.org"),
    ]


async def test_a_seat_that_votes_before_the_reminder_is_not_reminded(session, runtime):
    now = utcnow()
    seat = await create_seat(session, await create_member(session))
    proposal = await create_proposal_in_voting(
        session, [seat], voting_closes_at=now + timedelta(hours=30)
    )
    await cast_vote(session, proposal, seat)
    await session.commit()

    queued = await run_reminders(runtime, now + timedelta(hours=8))

    assert queued == RemindersQueued(convenings=0, votes=0)
    assert await outbox_rows(runtime) == []

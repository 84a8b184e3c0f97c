"""One pass of `hub worker`: voting windows that passed are closed and their results mailed,
due reminders queued, everything due delivered."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from hub.access.budgets.buckets import window_start
from hub.infrastructure.models import Proposal, RateLimitBucket
from hub.infrastructure.models.base import utcnow
from hub.worker import one_pass
from tests.factories import create_person
from tests.notifications.factories import cast_vote, create_proposal_in_voting, create_seat


async def test_a_pass_closes_a_passed_window_and_mails_the_result(
    session, runtime, worker, sendgrid_standin
):
    # Given a proposal whose window closed a minute ago, its one seat having voted
    seat = await create_seat(session, await create_person(session, email="holder@example.org"))
    proposal = await create_proposal_in_voting(
        session, [seat], title="Platform", voting_closes_at=utcnow() - timedelta(minutes=1)
    )
    await cast_vote(session, proposal, seat)
    await session.commit()

    # When the worker makes one pass
    done = await one_pass(worker)

    # Then the window is closed for good and the seat's holder was told the result
    assert done.closed_proposals == 1
    assert done.summary().startswith("closed 1 voting windows; queued 0 convening")
    async with runtime.sessions() as fresh:
        assert (await fresh.get_one(Proposal, proposal.id)).closed_at is not None
    assert [(r.to, r.subject.split(":")[0]) for r in sendgrid_standin.requests] == [
        ("holder@example.org", "Result")
    ]


async def test_a_pass_drops_spent_budget_windows_and_keeps_the_current_one(
    session, runtime, worker
):
    # Given a caller's bucket from two windows ago and one for the current window
    window = runtime.settings.budget_window_seconds
    now = worker.clock()
    current = window_start(now, window)
    session.add(RateLimitBucket(caller_key="person:1", window_start=current, points=5))
    old = current - timedelta(seconds=2 * window)
    session.add(RateLimitBucket(caller_key="person:1", window_start=old, points=9))
    await session.commit()

    # When the worker makes one pass
    done = await one_pass(worker)

    # Then only the current window's bucket is left
    assert done.pruned_buckets == 1
    assert done.summary().endswith("dropped 1 spent budget windows")
    async with runtime.sessions() as fresh:
        rows = (await fresh.execute(select(RateLimitBucket.window_start))).scalars().all()
    assert rows == [current]

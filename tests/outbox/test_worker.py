"""The worker: each message delivered once, retried with backoff, given up after a bound,
safe with several workers at once and when a worker dies mid-batch."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from hub.delivery.email.enqueue import enqueue_email
from hub.delivery.email.message import EmailMessage
from hub.delivery.email.senders import SendGridSender
from hub.delivery.email.suppressions import suppress
from hub.delivery.outbox.policy import RetryPolicy
from hub.infrastructure.models.outbox import OutboxStatus
from hub.worker import outbox_worker
from tests.factories import create_person
from tests.infrastructure.outbox import TEST_API_KEY, outbox_rows, sendgrid_worker

KIND = "convening_reminder"


def payload(name: str = "Ana") -> dict[str, object]:
    return {
        "recipient_name": name,
        "convening": {
            "id": 1,
            "title": "Caucus",
            "description": "",
            "starts_at": "2026-12-03T17:00:00+00:00",
            "ends_at": "2026-12-03T19:00:00+00:00",
            "time_zone": "America/Los_Angeles",
            "venue_name": "Hall",
            "venue_address": None,
            "virtual_url": None,
            "status": "SCHEDULED",
            "sequence": 0,
        },
        "invite": None,
        "partstat": "ACCEPTED",
        "rsvp_status": "GOING",
        "waitlist_position": None,
    }


async def enqueue_messages(session, count: int) -> None:
    for n in range(count):
        person = await create_person(session)
        await enqueue_email(session, person, kind=KIND, dedupe_key=f"test:{n}", payload=payload())
    await session.commit()


async def test_the_same_dedupe_key_is_enqueued_once(session, runtime):
    person = await create_person(session)

    first = await enqueue_email(session, person, kind=KIND, dedupe_key="k", payload=payload())
    second = await enqueue_email(session, person, kind=KIND, dedupe_key="k", payload=payload())
    await session.commit()

    assert (first, second) == (True, False)
    assert len(await outbox_rows(runtime)) == 1


async def test_a_stand_in_failing_three_times_still_ends_with_one_delivery(
    session, runtime, worker, sendgrid_standin, clock
):
    # Given one message, and SendGrid failing the first three tries
    await enqueue_messages(session, 1)
    sendgrid_standin.fail_next(2, status=500)
    sendgrid_standin.fail_next(1, status=503)

    # When the worker runs now and again each time the backoff has passed
    waits = []
    for _ in range(6):
        await worker.drain()
        (row,) = await outbox_rows(runtime)
        if row.status == OutboxStatus.PENDING:
            waits.append(round((row.next_attempt_at - clock()).total_seconds() / 60))
        clock.advance(timedelta(minutes=30))

    # Then SendGrid saw four tries and accepted exactly one, after waits that doubled
    assert [r.status for r in sendgrid_standin.requests] == [500, 500, 503, 202]
    assert waits == [1, 2, 4]
    assert len(sendgrid_standin.delivered) == 1
    assert len({r.outbox_id for r in sendgrid_standin.requests}) == 1
    (row,) = await outbox_rows(runtime)
    assert (row.status, row.attempts, row.last_error) == (OutboxStatus.SENT, 4, None)
    assert row.provider_message_id == sendgrid_standin.delivered[0].message_id


async def test_a_message_not_yet_due_waits(session, runtime, worker, sendgrid_standin):
    await enqueue_messages(session, 1)
    sendgrid_standin.fail_next(1)
    await worker.drain()

    report = await worker.drain()

    assert report.claimed == 0
    assert len(sendgrid_standin.requests) == 1


async def test_gives_up_after_the_last_attempt_and_records_why(
    session, runtime, settings, sendgrid_standin, clock
):
    worker = sendgrid_worker(
        runtime, settings, sendgrid_standin, clock, RetryPolicy(max_attempts=3)
    )
    await enqueue_messages(session, 1)
    sendgrid_standin.fail_next(10, status=503)

    for _ in range(5):
        await worker.drain()
        clock.advance(timedelta(hours=1))

    assert len(sendgrid_standin.requests) == 3
    (row,) = await outbox_rows(runtime)
    assert (row.status, row.attempts) == (OutboxStatus.FAILED, 3)
    assert row.last_error == "SendGrid answered 503"
    assert row.subject == "Coming up: Caucus"


async def test_a_refused_message_fails_at_once(session, runtime, worker, sendgrid_standin):
    await enqueue_messages(session, 1)
    sendgrid_standin.fail_next(1, status=400)

    await worker.drain()

    (row,) = await outbox_rows(runtime)
    assert (row.status, row.attempts, row.last_error) == (
        OutboxStatus.FAILED,
        1,
        "SendGrid answered 400",
    )


async def test_two_workers_draining_one_outbox_deliver_each_message_once(
    session, runtime, settings, sendgrid_standin, clock
):
    # Given thirty messages and two workers taking small batches
    await enqueue_messages(session, 30)
    policy = RetryPolicy(batch_size=4)
    workers = [sendgrid_worker(runtime, settings, sendgrid_standin, clock, policy) for _ in "ab"]

    # When both drain at the same time
    reports = await asyncio.gather(*(w.drain() for w in workers))

    # Then each message went out exactly once, and both workers took part
    outbox_ids = [r.outbox_id for r in sendgrid_standin.requests]
    assert len(outbox_ids) == 30
    assert len(set(outbox_ids)) == 30
    assert sum(r.sent for r in reports) == 30
    assert all(r.sent > 0 for r in reports)
    rows = await outbox_rows(runtime)
    assert {r.status for r in rows} == {OutboxStatus.SENT}
    assert {r.attempts for r in rows} == {1}


class WorkerKilled(BaseException):
    """Stands for the process dying: nothing in the worker catches it."""


class DyingSender:
    """The real SendGrid sender, in a process that dies after `lives` sends."""

    def __init__(self, sender: SendGridSender, lives: int) -> None:
        self.sender = sender
        self.lives = lives

    async def send(self, message: EmailMessage) -> str:
        if self.lives == 0:
            raise WorkerKilled()
        self.lives -= 1
        return await self.sender.send(message)


async def test_a_worker_killed_mid_send_holds_only_that_message(
    session, runtime, settings, sendgrid_standin, clock, worker
):
    # Given five messages, and a worker that dies after sending two
    await enqueue_messages(session, 5)
    dying = outbox_worker(
        sessions=runtime.sessions,
        settings=settings,
        sender=DyingSender(SendGridSender(TEST_API_KEY, sendgrid_standin.url), lives=2),
        clock=clock,
    )
    with pytest.raises(BaseExceptionGroup) as died:
        await dying.drain()
    assert died.group_contains(WorkerKilled)
    rows = await outbox_rows(runtime)
    assert [r.status for r in rows] == [OutboxStatus.SENT] * 2 + [
        OutboxStatus.SENDING,
        OutboxStatus.PENDING,
        OutboxStatus.PENDING,
    ]

    # When another worker runs while the dead worker's lease still holds, then after it expires
    during_lease = await worker.drain()
    clock.advance(RetryPolicy().lease + timedelta(seconds=1))
    after_lease = await worker.drain()

    # Then the two it never held went out at once, the one it held after its lease, and
    # each of the five exactly once
    assert (during_lease.sent, after_lease.sent) == (2, 1)
    outbox_ids = [r.outbox_id for r in sendgrid_standin.requests]
    assert sorted(outbox_ids) == sorted({str(r.id) for r in rows})
    assert {r.status for r in await outbox_rows(runtime)} == {OutboxStatus.SENT}


async def test_suppressed_addresses_are_not_mailed(session, runtime, worker, sendgrid_standin):
    await enqueue_messages(session, 2)
    bounced = (await outbox_rows(runtime))[0].recipient_address
    await suppress(session, bounced.upper(), "bounce")
    await session.commit()

    report = await worker.drain()

    assert report.sent == 1
    assert [r.to for r in sendgrid_standin.requests] != [bounced]
    rows = await outbox_rows(runtime)
    assert [(r.status, r.last_error) for r in rows] == [
        (OutboxStatus.SUPPRESSED, "Not sent: the address is suppressed (bounce)."),
        (OutboxStatus.SENT, None),
    ]

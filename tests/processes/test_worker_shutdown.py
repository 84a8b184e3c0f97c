"""`hub worker` stopped by SIGTERM in the middle of a batch, as an orchestrator stops it on
every deploy: it finishes and records the messages it is sending, claims nothing more, and a
worker started after it sends the rest. Every message goes out exactly once."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

from hub.delivery.email.senders import SendGridSender
from hub.delivery.outbox.policy import RetryPolicy
from hub.delivery.outbox.worker import RELEASED
from hub.infrastructure.config import Settings
from hub.infrastructure.models.base import utcnow
from hub.infrastructure.models.outbox import OutboxStatus
from hub.worker import outbox_worker
from tests.infrastructure.outbox import TEST_API_KEY, outbox_rows
from tests.infrastructure.sendgrid_standin import SendGridStandIn, sendgrid_standin
from tests.infrastructure.served import free_port, newcomer_env, running
from tests.outbox.test_worker import enqueue_messages

HUB = Path(sys.executable).parent / "hub"
MESSAGES = 12
AT_ONCE = 4
PROVIDER_SECONDS = 0.5
__all__ = ["sendgrid_standin"]


async def hub_worker(
    settings: Settings, standin: SendGridStandIn, *args: str
) -> asyncio.subprocess.Process:
    env = dict(os.environ) | {
        "HUB_DATABASE_URL": settings.database_url,
        "HUB_DATABASE_POOLER": settings.database_pooler,
        "HUB_SECRET_KEY": settings.secret_key or "",
        "HUB_BASE_URL": settings.base_url,
        "HUB_EMAIL_BACKEND": "sendgrid",
        "SENDGRID_API_KEY": TEST_API_KEY,
        "HUB_SENDGRID_HOST": standin.url,
    }
    return await asyncio.create_subprocess_exec(
        str(HUB), "worker", *args, env=env, stderr=asyncio.subprocess.PIPE
    )


async def arrived(standin: SendGridStandIn, count: int, seconds: float) -> None:
    async with asyncio.timeout(seconds):
        while len(standin.requests) < count:  # noqa: ASYNC110 (the stand-in is a thread)
            await asyncio.sleep(0.02)


async def test_sigterm_mid_batch_loses_nothing_and_sends_nothing_twice(session, runtime, settings):
    # Given twelve messages, and a provider taking half a second to accept each
    await enqueue_messages(session, MESSAGES)
    standin = SendGridStandIn(delay=PROVIDER_SECONDS).start()
    try:
        # When `hub worker`, sending four at once, gets SIGTERM while its first four are
        # with the provider
        first = await hub_worker(settings, standin, "--batch-size", str(AT_ONCE))
        await arrived(standin, AT_ONCE, seconds=30)
        first.send_signal(signal.SIGTERM)
        signalled_at = time.monotonic()
        _, first_log = await asyncio.wait_for(first.communicate(), timeout=30)
        stopped_after = time.monotonic() - signalled_at
        sent_by_first = len(standin.requests)

        # and another worker then runs once
        second = await hub_worker(settings, standin, "--once", "--batch-size", str(AT_ONCE))
        _, second_log = await asyncio.wait_for(second.communicate(), timeout=60)
    finally:
        standin.stop()

    # Then the first stopped by itself within moments, having finished the ones in flight
    assert first.returncode == 0, first_log.decode()
    assert "The worker stopped." in first_log.decode()
    assert stopped_after < RetryPolicy().lease.total_seconds()
    assert AT_ONCE <= sent_by_first < MESSAGES
    # and between them every message went out exactly once, each recorded SENT at its first
    # attempt: none waited for a lease to run out
    assert second.returncode == 0, second_log.decode()
    rows = await outbox_rows(runtime)
    assert Counter(r.outbox_id for r in standin.delivered) == {str(r.id): 1 for r in rows}
    assert Counter((r.status, r.attempts) for r in rows) == {(OutboxStatus.SENT, 1): MESSAGES}


async def test_a_message_claimed_as_the_worker_stops_is_handed_back_unsent(
    session, runtime, settings, sendgrid_standin
):
    # Given a due message, and a worker told to stop while it claims it (its clock, read by
    # the claim, is where the signal lands)
    await enqueue_messages(session, 1)

    def clock_at_the_signal() -> datetime:
        stopped.stop()
        return utcnow()

    stopped = outbox_worker(
        sessions=runtime.sessions,
        settings=settings,
        sender=SendGridSender(TEST_API_KEY, sendgrid_standin.url),
        clock=clock_at_the_signal,
    )

    # When it drains, and then another worker does
    report = await stopped.drain()
    (handed_back,) = await outbox_rows(runtime)
    survivor = outbox_worker(
        sessions=runtime.sessions,
        settings=settings,
        sender=SendGridSender(TEST_API_KEY, sendgrid_standin.url),
    )
    later = await survivor.drain()

    # Then the first sent nothing and handed the message back, due at once, its attempt not
    # counted; the other sent it, once, at its first attempt
    assert (report.claimed, dict(report.outcomes)) == (1, {RELEASED: 1})
    assert (handed_back.status, handed_back.attempts, handed_back.claimed_until) == (
        OutboxStatus.PENDING,
        0,
        None,
    )
    assert later.sent == 1
    (sent,) = await outbox_rows(runtime)
    assert (sent.status, sent.attempts) == (OutboxStatus.SENT, 1)
    assert [r.outbox_id for r in sendgrid_standin.delivered] == [str(sent.id)]


async def test_sigterm_to_a_server_delivering_in_process_finishes_the_message_it_sends(
    session, runtime, settings, tmp_path: Path
):
    # Given `hub serve` doing the worker's job in-process (as `--demo` does), and a provider
    # taking a second to accept each message
    await enqueue_messages(session, 3)
    standin = SendGridStandIn(delay=2 * PROVIDER_SECONDS).start()
    env = newcomer_env(
        HUB_DATABASE_URL=settings.database_url,
        HUB_DATABASE_POOLER=settings.database_pooler,
        HUB_SECRET_KEY=settings.secret_key or "",
        HUB_BASE_URL=settings.base_url,
        HUB_DELIVER_IN_PROCESS="1",
        HUB_EMAIL_BACKEND="sendgrid",
        SENDGRID_API_KEY=TEST_API_KEY,
        HUB_SENDGRID_HOST=standin.url,
    )
    command = [sys.executable, "-m", "hub", "serve", "--port", str(free_port())]
    try:
        with running(command, cwd=tmp_path, env=env) as console:
            # When SIGTERM comes while its first message is with the provider
            await arrived(standin, 1, seconds=30)
            console.process.send_signal(signal.SIGTERM)
            await asyncio.to_thread(console.process.wait, 30)
    finally:
        standin.stop()

    # Then it recorded the message it was sending as sent before it stopped, and took no
    # other after the signal: none is left claimed, the rest wait untouched
    rows = await outbox_rows(runtime)
    sent = [r for r in rows if r.status == OutboxStatus.SENT]
    assert [r.outbox_id for r in standin.requests] == [str(r.id) for r in sent], console.text
    assert rows[0] in sent
    assert {(r.status, r.attempts) for r in rows} <= {
        (OutboxStatus.SENT, 1),
        (OutboxStatus.PENDING, 0),
    }
    assert len(sent) < len(rows)

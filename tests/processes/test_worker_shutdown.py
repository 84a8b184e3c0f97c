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
from pathlib import Path

from hub.config import Settings
from hub.models.outbox import OutboxStatus
from hub.outbox.policy import RetryPolicy
from tests.infrastructure.outbox import TEST_API_KEY, outbox_rows
from tests.infrastructure.sendgrid_standin import SendGridStandIn
from tests.outbox.test_worker import enqueue_messages

HUB = Path(sys.executable).parent / "hub"
MESSAGES = 12
AT_ONCE = 4
PROVIDER_SECONDS = 0.5


async def hub_worker(
    settings: Settings, standin: SendGridStandIn, *args: str
) -> asyncio.subprocess.Process:
    env = dict(os.environ) | {
        "HUB_DATABASE_URL": settings.database_url,
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

    # Then the first stopped by itself within moments, having finished the four in flight
    assert first.returncode == 0, first_log.decode()
    assert "The worker stopped." in first_log.decode()
    assert stopped_after < RetryPolicy().lease.total_seconds()
    assert sent_by_first == AT_ONCE
    # and between them every message went out exactly once, each recorded SENT at its first
    # attempt: none waited for a lease to run out
    assert second.returncode == 0, second_log.decode()
    rows = await outbox_rows(runtime)
    assert Counter(r.outbox_id for r in standin.delivered) == {str(r.id): 1 for r in rows}
    assert Counter((r.status, r.attempts) for r in rows) == {(OutboxStatus.SENT, 1): MESSAGES}

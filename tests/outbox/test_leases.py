"""Email exactly once, as far as a provider allows: a provider slower than the lease sends
nothing twice (the lease is renewed while a message is sent), and a worker killed mid-send
leaves only the message in flight to repeat, with its outbox id, while the rest goes out
seconds later through another worker."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

import pytest

from hub.delivery.email.senders import SendGridSender
from hub.delivery.outbox.policy import RetryPolicy
from hub.delivery.outbox.worker import BatchReport, OutboxWorker
from hub.infrastructure.config import Settings
from hub.infrastructure.db import create_engine, create_session_factory
from hub.infrastructure.models.outbox import OutboxStatus
from hub.worker import outbox_worker
from tests.infrastructure.outbox import TEST_API_KEY, outbox_rows
from tests.infrastructure.sendgrid_standin import SendGridStandIn
from tests.outbox.test_worker import enqueue_messages

HUB = Path(sys.executable).parent / "hub"
PROVIDER_SECONDS = 16


@pytest.fixture
def slow_standin() -> Iterator[SendGridStandIn]:
    standin = SendGridStandIn(delay=PROVIDER_SECONDS).start()
    yield standin
    standin.stop()


@asynccontextmanager
async def worker_of_its_own(
    settings: Settings, standin: SendGridStandIn, policy: RetryPolicy
) -> AsyncIterator[OutboxWorker]:
    """A worker with its own engine, as another process would have."""
    engine = create_engine(settings.database_url, pool_size=policy.batch_size + 2)
    try:
        yield outbox_worker(
            sessions=create_session_factory(engine),
            settings=settings,
            sender=SendGridSender(TEST_API_KEY, standin.url),
            policy=policy,
        )
    finally:
        await engine.dispose()


def repeated(standin: SendGridStandIn) -> dict[str | None, int]:
    return {i: n for i, n in Counter(r.outbox_id for r in standin.requests).items() if n > 1}


async def test_two_workers_and_a_provider_slower_than_the_lease_send_each_message_once(
    session, runtime, settings, slow_standin
):
    # Given 40 messages, a provider taking 16 s a message, and two workers, each sending
    # 10 at once under a lease of 4 s: a lease that, unrenewed, runs out mid-send
    await enqueue_messages(session, 40)
    policy = RetryPolicy(lease=timedelta(seconds=4), batch_size=10)

    # When both drain, the second starting once the first's leases would have run out
    async def drain_later(worker: OutboxWorker) -> BatchReport:
        await asyncio.sleep(policy.lease.total_seconds() + 1)
        return await worker.drain()

    async with (
        worker_of_its_own(settings, slow_standin, policy) as first,
        worker_of_its_own(settings, slow_standin, policy) as second,
    ):
        try:
            async with asyncio.timeout(90):
                reports = await asyncio.gather(first.drain(), drain_later(second))
        except TimeoutError:
            reports = []

    # Then no message went out twice, each went out once, and both workers took part
    assert repeated(slow_standin) == {}
    assert len(slow_standin.delivered) == 40
    assert [r.sent > 0 for r in reports] == [True, True]
    rows = await outbox_rows(runtime)
    assert Counter((r.status, r.attempts) for r in rows) == {(OutboxStatus.SENT, 1): 40}


async def hub_worker(settings: Settings, standin: SendGridStandIn) -> asyncio.subprocess.Process:
    """`hub worker` as it runs in production (its default policy), mailing the stand-in."""
    env = dict(os.environ) | {
        "HUB_DATABASE_URL": settings.database_url,
        "HUB_SECRET_KEY": settings.secret_key or "",
        "HUB_BASE_URL": settings.base_url,
        "HUB_EMAIL_BACKEND": "sendgrid",
        "SENDGRID_API_KEY": TEST_API_KEY,
        "HUB_SENDGRID_HOST": standin.url,
    }
    return await asyncio.create_subprocess_exec(
        str(HUB), "worker", env=env, stderr=asyncio.subprocess.DEVNULL
    )


async def first_request(standin: SendGridStandIn, seconds: float) -> None:
    async with asyncio.timeout(seconds):
        while not standin.requests:  # noqa: ASYNC110 (the stand-in is a thread)
            await asyncio.sleep(0.05)


async def test_a_killed_workers_messages_go_out_seconds_later_with_one_repeat_at_most(
    session, runtime, settings
):
    # Given five messages, and a provider taking 2 s a message
    await enqueue_messages(session, 5)
    standin = SendGridStandIn(delay=2).start()
    try:
        # When `hub worker` is killed while it sends its first message
        process = await hub_worker(settings, standin)
        await first_request(standin, seconds=30)
        process.send_signal(signal.SIGKILL)
        await process.wait()
        killed_at, in_flight = time.monotonic(), standin.requests[0].outbox_id

        # and another worker (the default policy too) runs until everything is sent
        async with worker_of_its_own(settings, standin, RetryPolicy()) as survivor:
            async with asyncio.timeout(30):
                while {r.status for r in await outbox_rows(runtime)} != {OutboxStatus.SENT}:
                    await survivor.drain()
                    await asyncio.sleep(0.2)
        took = time.monotonic() - killed_at
    finally:
        standin.stop()

    # Then every message went out, within seconds of the kill, and only the one in flight
    # went out twice, with its outbox id both times
    rows = await outbox_rows(runtime)
    assert sorted({r.outbox_id for r in standin.delivered}) == sorted(str(r.id) for r in rows)
    assert repeated(standin) in ({}, {in_flight: 2})
    assert took < RetryPolicy().lease.total_seconds() + 5 * 2 + 3

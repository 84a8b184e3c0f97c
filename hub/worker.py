"""`hub worker`, composed: each pass closes the voting windows that have passed, enqueues the
reminders that fell due, delivers what is due through the outbox (email and webhooks), and
drops spent budget windows; then it waits, and again. `hub serve --demo` runs the same passes
in its own process. The outbox itself knows none of these: this module puts them together."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hub.access.budgets.buckets import prune_spent_windows
from hub.delivery.email.delivery import EmailDeliverer
from hub.delivery.email.senders import Sender, sender_for
from hub.delivery.email.withholding import withheld_emails
from hub.delivery.outbox.delivery import Deliverer
from hub.delivery.outbox.policy import RetryPolicy
from hub.delivery.outbox.worker import BatchReport, OutboxWorker
from hub.delivery.reminders.due import RemindersQueued, enqueue_due_reminders
from hub.delivery.webhooks.delivery import WebhookSender
from hub.domains.governance import ballot_box
from hub.domains.governance.voting import close_due_proposals
from hub.infrastructure.config import Settings
from hub.infrastructure.db import transaction
from hub.infrastructure.models.base import utcnow
from hub.infrastructure.models.outbox import Channel
from hub.interfaces.runtime import Runtime

log = logging.getLogger(__name__)

# Short, so that a sign-in link asked for on the page is on the console a moment later.
IN_PROCESS_POLL_SECONDS = 1.0


def outbox_worker(
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    *,
    sender: Sender | None = None,
    policy: RetryPolicy | None = None,
    clock: Callable[[], datetime] = utcnow,
) -> OutboxWorker:
    """The outbox worker with the hub's channels: email through `sender` (the settings' when
    None) and webhooks."""
    email = EmailDeliverer(settings, sender or sender_for(settings), clock)
    deliverers: dict[Channel, Deliverer] = {
        Channel.EMAIL: email,
        Channel.WEBHOOK: WebhookSender(sessions, settings),
    }
    return OutboxWorker(
        sessions=sessions,
        settings=settings,
        deliverers=deliverers,
        withholdings={Channel.EMAIL: withheld_emails},
        policy=policy or RetryPolicy(),
        clock=clock,
    )


@dataclass(frozen=True)
class Pass:
    closed_proposals: int
    reminders: RemindersQueued
    delivered: BatchReport
    pruned_buckets: int = 0

    def summary(self) -> str:
        outcomes = ", ".join(f"{n} {k.lower()}" for k, n in sorted(self.delivered.outcomes.items()))
        return (
            f"closed {self.closed_proposals} voting windows; "
            f"queued {self.reminders.convenings} convening and {self.reminders.votes} voting "
            f"reminders; delivered {self.delivered.claimed} messages ({outcomes or 'none due'}); "
            f"dropped {self.pruned_buckets} spent budget windows"
        )


async def one_pass(worker: OutboxWorker) -> Pass:
    """Closes voting windows that have passed (their results are mailed in the same pass),
    enqueues due reminders, delivers everything due, then drops spent budget windows."""
    async with transaction(worker.sessions) as session:
        closed = await close_due_proposals(
            session, ballot_key=ballot_box.key_for(worker.settings), now=worker.clock()
        )
    async with transaction(worker.sessions) as session:
        reminders = await enqueue_due_reminders(
            session, now=worker.clock(), time_zone=worker.settings.time_zone
        )
    delivered = await worker.drain()
    async with transaction(worker.sessions) as session:
        window = worker.settings.budget_window_seconds
        pruned = await prune_spent_windows(session, worker.clock(), window)
    return Pass(len(closed), reminders, delivered, pruned)


async def run(worker: OutboxWorker, *, once: bool, poll_seconds: float) -> None:
    """Runs passes until stopped (or one, with `once`), logging what each did."""
    while not worker.stopping.is_set():
        done = await one_pass(worker)
        log.info("worker pass: %s", done.summary())
        if once:
            return
        with contextlib.suppress(TimeoutError):  # a stop ends the wait at once
            await asyncio.wait_for(worker.stopping.wait(), poll_seconds)


async def run_until_signalled(
    worker: OutboxWorker, *, once: bool, poll_seconds: float, grace: float
) -> None:
    """`run`, until SIGTERM or SIGINT: then the worker claims nothing more and has `grace`
    seconds to record the messages it is sending. One it has not recorded by then (a second
    signal ends the wait too) stays claimed, and goes out again when its lease runs out."""
    passes = asyncio.create_task(run(worker, once=once, poll_seconds=poll_seconds))

    def on_signal() -> None:
        if worker.stopping.is_set():
            passes.cancel()
            return
        log.info("stopping: finishing the messages being sent (at most %s s)", grace)
        worker.stop()

    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, on_signal)
    try:
        await _finish(passes, worker, grace)
    finally:
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(signum)


async def _finish(passes: asyncio.Task[None], worker: OutboxWorker, grace: float) -> None:
    stop = asyncio.create_task(worker.stopping.wait())
    await asyncio.wait({passes, stop}, return_when=asyncio.FIRST_COMPLETED)
    stop.cancel()
    try:
        await asyncio.wait_for(passes, grace)  # at once, when the passes ended by themselves
    except (TimeoutError, asyncio.CancelledError):
        if not passes.cancelled():
            raise
        log.warning("stopped with messages unrecorded: they go out again when their lease ends")


async def _deliver_until_stopped(worker: OutboxWorker) -> None:
    while not worker.stopping.is_set():
        try:
            await one_pass(worker)
        except Exception:  # the next pass tries again, as a restarted worker would
            log.exception("delivering in-process failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(worker.stopping.wait(), IN_PROCESS_POLL_SECONDS)


@contextlib.asynccontextmanager
async def delivering_in_process(runtime: Runtime) -> AsyncIterator[None]:
    """While inside, the worker's passes run in this process (when the settings ask for it).
    On leaving (the server shutting down), the messages being sent are finished and recorded
    within the shutdown grace, as `hub worker` does on SIGTERM."""
    if not runtime.settings.deliver_in_process:
        yield
        return
    settings = runtime.settings
    worker = outbox_worker(runtime.sessions, settings)
    task = asyncio.create_task(_deliver_until_stopped(worker))
    try:
        yield
    finally:
        worker.stop()
        try:
            await asyncio.wait_for(task, settings.shutdown_grace_seconds)
        except TimeoutError:
            log.warning("stopped with messages unrecorded: they go out again when their lease ends")

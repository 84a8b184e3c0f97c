"""The worker's job done inside a serving process, for `hub serve --demo`: one command is then
a whole working hub, whose email (sign-in links included) appears on its console."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from hub.email.senders import sender_for
from hub.outbox.loop import one_pass
from hub.outbox.worker import OutboxWorker
from hub.runtime import Runtime

# Short, so that a sign-in link asked for on the page is on the console a moment later.
IN_PROCESS_POLL_SECONDS = 1.0
log = logging.getLogger(__name__)


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
    worker = OutboxWorker(sessions=runtime.sessions, settings=settings, sender=sender_for(settings))
    task = asyncio.create_task(_deliver_until_stopped(worker))
    try:
        yield
    finally:
        worker.stop()
        try:
            await asyncio.wait_for(task, settings.shutdown_grace_seconds)
        except TimeoutError:
            log.warning("stopped with messages unrecorded: they go out again when their lease ends")

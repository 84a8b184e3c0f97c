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


async def _deliver_forever(worker: OutboxWorker) -> None:
    while True:
        try:
            await one_pass(worker)
        except Exception:  # the next pass tries again, as a restarted worker would
            log.exception("delivering in-process failed")
        await asyncio.sleep(IN_PROCESS_POLL_SECONDS)


@contextlib.asynccontextmanager
async def delivering_in_process(runtime: Runtime) -> AsyncIterator[None]:
    """While inside, the worker's passes run in this process (when the settings ask for it)."""
    if not runtime.settings.deliver_in_process:
        yield
        return
    settings = runtime.settings
    worker = OutboxWorker(sessions=runtime.sessions, settings=settings, sender=sender_for(settings))
    task = asyncio.create_task(_deliver_forever(worker))
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

"""`hub worker --once`, run as a newcomer would: console backend, reminders and delivery."""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import timedelta
from pathlib import Path

from hub.infrastructure.models.base import utcnow
from hub.infrastructure.models.convenings import RsvpStatus
from hub.infrastructure.models.outbox import OutboxStatus
from tests.convenings.factories import create_convening, create_member, create_rsvp
from tests.infrastructure.outbox import outbox_rows

HUB = Path(sys.executable).parent / "hub"


async def run_hub(*args: str, database_url: str) -> tuple[int, str, str]:
    env = dict(os.environ) | {
        "HUB_DATABASE_URL": database_url,
        "HUB_EMAIL_BACKEND": "console",
        "HUB_BASE_URL": "http://hub.test",
    }
    process = await asyncio.create_subprocess_exec(
        str(HUB), *args, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    return process.returncode or 0, out.decode(), err.decode()


async def test_once_queues_the_due_reminder_prints_it_and_exits(session, runtime, settings):
    # Given a member GOING to a (members-only) convening two hours from now
    person = await create_member(session, name="Ana Pérez", email="ana@example.org")
    convening = await create_convening(
        session, title="Caucus", starts_at=utcnow() + timedelta(hours=2)
    )
    await create_rsvp(session, convening, person, RsvpStatus.GOING)
    await session.commit()

    # When the worker runs once
    code, out, err = await run_hub("worker", "--once", database_url=settings.database_url)

    # Then it reminded her on the console, said what it did, and recorded the message as sent
    assert code == 0, err
    assert "--- email to Ana Pérez <ana@example.org>" in out
    assert "Subject: Coming up: Caucus" in out
    assert (
        "closed 0 voting windows; queued 1 convening and 0 voting reminders; "
        "delivered 1 messages (1 sent)"
    ) in err
    (row,) = await outbox_rows(runtime)
    assert (row.status, row.provider_message_id) == (OutboxStatus.SENT, f"console-{row.id}")


async def test_once_with_nothing_due_says_so(settings):
    code, _, err = await run_hub("worker", "--once", database_url=settings.database_url)

    assert code == 0, err
    assert "delivered 0 messages (none due)" in err

"""`hub suppressions list` and `hub suppressions lift EMAIL`, run as an operator would, on the
tests' database."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import UTC, datetime

from sqlalchemy import select

from hub.delivery.email.suppressions import suppress
from hub.infrastructure.models import AuditEvent, EmailSuppression


async def hub(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HUB_")}
    env["HUB_DATABASE_URL"] = database_url
    command = [sys.executable, "-m", "hub", *args]
    return await asyncio.to_thread(
        subprocess.run, command, env=env, capture_output=True, text=True, timeout=120
    )


async def test_an_operator_lists_and_lifts_a_suppression(session, runtime, database_url):
    # Given two suppressed addresses
    await suppress(session, "Bounced@Example.org", "bounce", "550 no such user")
    await suppress(session, "left@example.org", "unsubscribe")
    stamp = datetime(2026, 11, 30, 9, 15, tzinfo=UTC)
    for row in await session.scalars(select(EmailSuppression)):
        row.created_at = stamp
    await session.commit()

    # When the operator lists them, lifts one, and lists again
    listed = await hub(database_url, "suppressions", "list")
    lifted = await hub(
        database_url, "suppressions", "lift", "BOUNCED@example.org", "--reason", "Fixed"
    )
    again = await hub(database_url, "suppressions", "list")

    # Then the lists say what is suppressed, and the lift is in the audit trail
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout == (
        "bounced@example.org  bounce  2026-11-30 09:15  550 no such user\n"
        "left@example.org  unsubscribe  2026-11-30 09:15  \n"
    )
    assert lifted.stdout == "Lifted the suppression of bounced@example.org (it was bounce).\n"
    assert again.stdout == "left@example.org  unsubscribe  2026-11-30 09:15  \n"
    async with runtime.sessions() as fresh:
        trail = (await fresh.execute(select(AuditEvent.actor_id, AuditEvent.detail))).all()
    assert [tuple(row) for row in trail] == [
        (None, "bounced@example.org (was bounce; lifted on the command line): Fixed")
    ]


async def test_lifting_an_address_that_is_not_suppressed_is_refused(runtime, database_url):
    refused = await hub(
        database_url, "suppressions", "lift", "fine@example.org", "--reason", "Fixed"
    )
    empty = await hub(database_url, "suppressions", "list")

    assert refused.returncode == 2
    assert refused.stderr == (
        "Error: fine@example.org is not suppressed: the hub mails it already.\n"
    )
    assert empty.stdout == "No address is suppressed.\n"
    async with runtime.sessions() as fresh:
        assert list(await fresh.scalars(select(AuditEvent))) == []

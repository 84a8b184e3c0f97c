"""Writing messages to the outbox, inside the caller's transaction. The outbox knows no channel:
each queues its own messages through `enqueue` (hub/delivery/email/enqueue.py,
`enqueue_webhook`)."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Selectable

from hub.infrastructure.db import dialect_insert
from hub.infrastructure.models import OutboxMessage
from hub.infrastructure.models.base import utcnow
from hub.infrastructure.models.outbox import Channel


async def enqueue_webhook(
    session: AsyncSession, url: str, *, kind: str, dedupe_key: str, payload: dict[str, Any]
) -> bool:
    """Queues one delivery to a webhook subscription's URL (hub/delivery/webhooks sends it)."""
    values = {
        "channel": Channel.WEBHOOK,
        "kind": kind,
        "dedupe_key": dedupe_key,
        "recipient_address": url,
        "payload": payload,
        "next_attempt_at": utcnow(),
    }
    return await enqueue(session, values)


async def enqueue(session: AsyncSession, values: dict[str, Any]) -> bool:
    """Queues one message; a second with the same `dedupe_key` is dropped (INSERT ... ON
    CONFLICT DO NOTHING): True when this one was new."""
    insert = dialect_insert(session, OutboxMessage).values(**values)
    result = await session.execute(insert.on_conflict_do_nothing(index_elements=["dedupe_key"]))
    return bool(cast(CursorResult[Any], result).rowcount)


async def enqueue_selected(session: AsyncSession, columns: list[str], rows: Selectable) -> None:
    """Queues the messages a SELECT makes (its columns named by `columns`), each once."""
    insert = dialect_insert(session, OutboxMessage).from_select(columns, rows)
    await session.execute(insert.on_conflict_do_nothing(index_elements=["dedupe_key"]))

"""Writing messages to the outbox, inside the caller's transaction."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from hub.db import dialect_insert
from hub.models import OutboxMessage, Person
from hub.models.base import utcnow
from hub.models.outbox import Channel


async def enqueue_email(
    session: AsyncSession, person: Person, *, kind: str, dedupe_key: str, payload: dict[str, Any]
) -> bool:
    """Queues one email to a person, in their language. A second message with the same
    `dedupe_key` is dropped (INSERT ... ON CONFLICT DO NOTHING): True when this one was new."""
    values = {
        "channel": Channel.EMAIL,
        "kind": kind,
        "dedupe_key": dedupe_key,
        "recipient_person_id": person.id,
        "recipient_address": person.email,
        "language": str(person.preferred_language),
        "payload": payload,
        "next_attempt_at": utcnow(),
    }
    return await _insert_once(session, values)


async def enqueue_webhook(
    session: AsyncSession, url: str, *, kind: str, dedupe_key: str, payload: dict[str, Any]
) -> bool:
    """Queues one delivery to a webhook subscription's URL (hub/webhooks sends it)."""
    values = {
        "channel": Channel.WEBHOOK,
        "kind": kind,
        "dedupe_key": dedupe_key,
        "recipient_address": url,
        "payload": payload,
        "next_attempt_at": utcnow(),
    }
    return await _insert_once(session, values)


async def _insert_once(session: AsyncSession, values: dict[str, Any]) -> bool:
    insert = dialect_insert(session, OutboxMessage).values(**values)
    result = await session.execute(insert.on_conflict_do_nothing(index_elements=["dedupe_key"]))
    return bool(cast(CursorResult[Any], result).rowcount)

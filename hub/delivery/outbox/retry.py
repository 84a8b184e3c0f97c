"""An admin sends a FAILED message again: it goes back to the queue, due at once, for one more
attempt (its attempts so far are kept, so the worker gives up again after that one fails).

Safe under concurrency: the message is re-queued by one conditional UPDATE (only while it is
FAILED), so of two retries at once exactly one re-queues it and the other is told it is queued
already; a message being sent, sent, or waiting is never touched."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hub.common.errors import InputError
from hub.infrastructure.audit import record_audit
from hub.infrastructure.models import OutboxMessage
from hub.infrastructure.models.outbox import OutboxStatus

RETRIED = "OUTBOX_MESSAGE_RETRIED"


class OutboxErrorCode(enum.StrEnum):
    UNKNOWN_MESSAGE = "UNKNOWN_MESSAGE"
    ALREADY_QUEUED = "ALREADY_QUEUED"
    BEING_SENT = "BEING_SENT"
    ALREADY_SENT = "ALREADY_SENT"
    SUPPRESSED = "SUPPRESSED"


_REFUSALS = {
    OutboxStatus.PENDING: (OutboxErrorCode.ALREADY_QUEUED, "It is queued already."),
    OutboxStatus.SENDING: (
        OutboxErrorCode.BEING_SENT,
        "It is being sent right now: wait for the outcome.",
    ),
    OutboxStatus.SENT: (OutboxErrorCode.ALREADY_SENT, "It was delivered already."),
    OutboxStatus.SUPPRESSED: (
        OutboxErrorCode.SUPPRESSED,
        "Its address is suppressed: lift the suppression, and later mail goes out.",
    ),
}


async def retry_message(
    session: AsyncSession, message_id: int, *, actor_id: int | None, now: datetime
) -> OutboxMessage:
    """Re-queues a FAILED message (due now) and writes the retry to the audit trail; refused,
    with nothing written, for a message in any other state."""
    requeue = (
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == OutboxStatus.FAILED)
        .values(status=OutboxStatus.PENDING, next_attempt_at=now, claimed_until=None)
        .execution_options(synchronize_session=False)
    )
    requeued = cast(CursorResult[Any], await session.execute(requeue)).rowcount
    message = await _message(session, message_id)
    if not requeued:
        code, words = _REFUSALS[message.status]
        raise InputError("id", code, f"Outbox message {message_id} cannot be retried: {words}")
    detail = f"{message.channel.lower()} {message.kind} to {message.recipient_address}"
    await record_audit(
        session, action=RETRIED, actor_id=actor_id, detail=f"{detail} (#{message.id})", now=now
    )
    return message


async def _message(session: AsyncSession, message_id: int) -> OutboxMessage:
    statement = select(OutboxMessage).where(OutboxMessage.id == message_id)
    message = await session.scalar(statement.execution_options(populate_existing=True))
    if message is None:
        raise InputError("id", OutboxErrorCode.UNKNOWN_MESSAGE, "No outbox message has that id.")
    return message

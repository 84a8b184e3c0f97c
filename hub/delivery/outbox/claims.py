"""Claiming due messages so that several workers never take the same one, and recording
what became of each.

PostgreSQL: SELECT ... FOR UPDATE SKIP LOCKED, so concurrent workers take disjoint rows
without waiting. SQLite: the claiming transaction begins IMMEDIATE (hub.infrastructure.db), so
claims take turns. Either way the claim (SENDING, a lease, attempts + 1) commits before anything is
sent, and its worker renews the lease while it sends.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, Update, and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hub.delivery.outbox.delivery import Withholding
from hub.delivery.outbox.policy import RetryPolicy
from hub.infrastructure.models import OutboxMessage
from hub.infrastructure.models.outbox import Channel, OutboxStatus

MAX_ERROR_LENGTH = 2000


def _due(now: datetime) -> ColumnElement[bool]:
    pending = and_(
        OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now
    )
    abandoned = and_(
        OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.claimed_until <= now
    )
    return or_(pending, abandoned)


async def claim_due(
    session: AsyncSession,
    policy: RetryPolicy,
    *,
    now: datetime,
    limit: int = 1,
    withholdings: Mapping[Channel, Withholding] | None = None,
) -> list[OutboxMessage]:
    """Claims up to `limit` due messages in the session's transaction (the caller commits).
    Messages their channel withholds (for email: a suppressed address, a stopped category) are
    settled here, unsent, and returned SUPPRESSED."""
    statement = (
        select(OutboxMessage)
        .where(_due(now))
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    claimed = list(await session.scalars(statement))
    withheld: dict[int, str] = {}
    for channel, withholding in (withholdings or {}).items():
        own = [message for message in claimed if message.channel == channel]
        if own:
            withheld.update(await withholding(session, own))
    for message in claimed:
        message.attempts += 1
        message.claimed_until = now + policy.lease
        message.status = OutboxStatus.SENDING
        if message.id in withheld:
            message.status = OutboxStatus.SUPPRESSED
            message.claimed_until = None
            message.last_error = withheld[message.id]
    await session.flush()
    return claimed


async def renew_claim(
    session: AsyncSession, message: OutboxMessage, policy: RetryPolicy, *, now: datetime
) -> bool:
    """Extends the lease of a message its worker is still sending; False when the claim was
    lost (nothing changes then)."""
    result = await session.execute(_ours(message).values(claimed_until=now + policy.lease))
    return bool(cast(CursorResult[Any], result).rowcount)


async def record_sent(
    session: AsyncSession,
    message: OutboxMessage,
    *,
    provider_message_id: str,
    subject: str | None,
    now: datetime,
) -> bool:
    """Marks a claimed message SENT; False when its claim had been lost (lease expired and
    another worker claimed it), in which case nothing changes."""
    return await _settle(
        session,
        message,
        status=OutboxStatus.SENT,
        provider_message_id=provider_message_id or None,
        subject=subject,
        sent_at=now,
        last_error=None,
    )


async def record_failure(
    session: AsyncSession,
    message: OutboxMessage,
    error: str,
    policy: RetryPolicy,
    *,
    retryable: bool,
    subject: str | None,
    now: datetime,
) -> OutboxStatus:
    """Schedules another attempt with backoff, or gives up (FAILED) after the last one."""
    gives_up = not retryable or policy.gives_up(message.attempts)
    status = OutboxStatus.FAILED if gives_up else OutboxStatus.PENDING
    await _settle(
        session,
        message,
        status=status,
        next_attempt_at=message.next_attempt_at
        if gives_up
        else policy.retry_at(message.attempts, now),
        last_error=error[:MAX_ERROR_LENGTH],
        subject=subject,
    )
    return status


async def release_claim(session: AsyncSession, message: OutboxMessage) -> bool:
    """Hands back a claimed message its worker will not send (it is stopping): due again at
    once for another worker, its attempt not counted, since none was made."""
    result = await session.execute(
        _ours(message).values(
            status=OutboxStatus.PENDING, claimed_until=None, attempts=message.attempts - 1
        )
    )
    return bool(cast(CursorResult[Any], result).rowcount)


async def _settle(session: AsyncSession, message: OutboxMessage, **values: object) -> bool:
    result = await session.execute(_ours(message).values(claimed_until=None, **values))
    return bool(cast(CursorResult[Any], result).rowcount)


def _ours(message: OutboxMessage) -> Update:
    """An update of the message while the claim is ours: while the row still shows our
    attempt number."""
    return (
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message.id,
            OutboxMessage.status == OutboxStatus.SENDING,
            OutboxMessage.attempts == message.attempts,
        )
        .execution_options(synchronize_session=False)
    )

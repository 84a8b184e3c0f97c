"""Outbox messages in each state, made through the real outbox services (enqueue, claim,
record): a FAILED one is a message whose delivery was refused for good."""

from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.delivery.email.enqueue import enqueue_email
from hub.delivery.outbox.claims import record_failure, record_sent
from hub.delivery.outbox.policy import RetryPolicy
from hub.infrastructure.models import OutboxMessage, Person
from hub.infrastructure.models.base import utcnow
from hub.infrastructure.models.outbox import OutboxStatus

REFUSED = "SendGrid answered 400: The to address is malformed."
LINK = "http://hub.test/signin/link?token="
_sequence = itertools.count(1)


async def create_message(
    session: AsyncSession, person: Person, status: OutboxStatus
) -> OutboxMessage:
    """A sign-in link email to the person in the given state (PENDING, SENDING, SENT, FAILED)."""
    key = f"test:{next(_sequence)}"
    payload: dict[str, Any] = {"recipient_name": person.name, "link": f"{LINK}{key}"}
    await enqueue_email(session, person, kind="signin_link", dedupe_key=key, payload=payload)
    message = await _by_key(session, key)
    if status == OutboxStatus.PENDING:
        return message
    now = utcnow()
    # Claimed as hub/delivery/outbox/claims.claim_due claims it (this message only).
    message.status, message.attempts = OutboxStatus.SENDING, message.attempts + 1
    message.claimed_until = now + RetryPolicy().lease
    await session.flush()
    if status == OutboxStatus.SENT:
        await record_sent(session, message, provider_message_id="sg-1", subject="Hi", now=now)
    if status == OutboxStatus.FAILED:
        await record_failure(
            session, message, REFUSED, RetryPolicy(), retryable=False, subject="Hi", now=now
        )
    await session.flush()
    await session.refresh(message)
    return message


async def _by_key(session: AsyncSession, key: str) -> OutboxMessage:
    statement = select(OutboxMessage).where(OutboxMessage.dedupe_key == key)
    return (await session.scalars(statement)).one()

"""Queueing email in the outbox, inside the caller's transaction: to a person (in their language,
with the link that stops a category that is not transactional), to a new address (a guest), or
to whoever has an address (a sign-in link)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String, literal, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession

from hub.delivery.email import preferences
from hub.delivery.outbox.enqueue import enqueue, enqueue_selected
from hub.infrastructure.models import OutboxMessage, Person
from hub.infrastructure.models.base import utcnow
from hub.infrastructure.models.outbox import Channel


async def enqueue_email(
    session: AsyncSession,
    person: Person,
    *,
    kind: str,
    dedupe_key: str,
    payload: dict[str, Any],
    not_before: datetime | None = None,
) -> bool:
    """Queues one email to a person, in their language, to go now (or not before
    `not_before`). A second message with the same `dedupe_key` is dropped (INSERT ... ON
    CONFLICT DO NOTHING): True when this one was new. An email that is not transactional
    carries a link that stops its category (hub/delivery/email/preferences)."""
    category = preferences.category_of(kind)
    if category is not None:
        token = await preferences.new_unsubscribe_token(session, person.id, category)
        payload = {**payload, preferences.TOKEN_KEY: token}
    values = {
        "channel": Channel.EMAIL,
        "kind": kind,
        "dedupe_key": dedupe_key,
        "recipient_person_id": person.id,
        "recipient_address": person.email,
        "language": str(person.preferred_language),
        "payload": payload,
        "next_attempt_at": max(not_before or utcnow(), utcnow()),
    }
    return await enqueue(session, values)


async def enqueue_email_to_new_address(
    session: AsyncSession,
    address: str,
    *,
    language: str,
    kind: str,
    dedupe_key: str,
    payload: dict[str, Any],
) -> bool:
    """Queues one email to an address that need not be a person's (yet): a guest's link to
    confirm their answer (hub/domains/guests), in the language they chose."""
    values = {
        "channel": Channel.EMAIL,
        "kind": kind,
        "dedupe_key": dedupe_key,
        "recipient_address": address,
        "language": language,
        "payload": payload,
        "next_attempt_at": utcnow(),
    }
    return await enqueue(session, values)


async def enqueue_email_to_address(
    session: AsyncSession, address: str, *, kind: str, dedupe_key: str, payload: dict[str, Any]
) -> None:
    """Queues one email to the person with this address, in their language, if there is such
    a person. One INSERT ... SELECT runs either way, so the work done (and the time taken)
    does not tell whether the address is known (hub/domains/signin)."""
    now = utcnow()
    person = select(
        literal(Channel.EMAIL, OutboxMessage.channel.type),
        literal(kind, String()),
        literal(dedupe_key, String()),
        Person.id,
        Person.email,
        type_coerce(Person.preferred_language, String()),
        literal(payload, OutboxMessage.payload.type),
        literal(now, OutboxMessage.next_attempt_at.type),
    ).where(Person.email == address)
    columns = [
        "channel",
        "kind",
        "dedupe_key",
        "recipient_person_id",
        "recipient_address",
        "language",
        "payload",
        "next_attempt_at",
    ]
    await enqueue_selected(session, columns, person)

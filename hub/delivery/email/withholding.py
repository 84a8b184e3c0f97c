"""What email will not send of the messages the outbox claimed (the outbox's Withholding): mail
to an address a suppression stops (hub/delivery/email/suppressions), and mail of a category its
recipient stopped, from their page or an unsubscribe link (hub/delivery/email/preferences)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.delivery.email.preferences import category_of, stopped_by_person
from hub.delivery.email.suppressions import stops
from hub.infrastructure.models import EmailSuppression, OutboxMessage


async def withheld_emails(
    session: AsyncSession, messages: Sequence[OutboxMessage]
) -> dict[int, str]:
    suppressed = await _suppressed_reasons(session, messages)
    people = {
        message.recipient_person_id
        for message in messages
        if message.recipient_person_id is not None and category_of(message.kind) is not None
    }
    stopped = await stopped_by_person(session, people)
    withheld: dict[int, str] = {}
    for message in messages:
        reason = suppressed.get(message.recipient_address.lower())
        category = category_of(message.kind)
        person = message.recipient_person_id
        if stops(reason, message.kind):
            withheld[message.id] = f"Not sent: the address is suppressed ({reason})."
        elif category is not None and person is not None and category in stopped.get(person, ()):
            withheld[message.id] = f"Not sent: the person stopped {category} email."
    return withheld


async def _suppressed_reasons(
    session: AsyncSession, messages: Sequence[OutboxMessage]
) -> dict[str, str]:
    addresses = {message.recipient_address.lower() for message in messages}
    if not addresses:
        return {}
    rows = await session.execute(
        select(EmailSuppression.email, EmailSuppression.reason).where(
            EmailSuppression.email.in_(sorted(addresses))
        )
    )
    return {email: reason for email, reason in rows.all()}

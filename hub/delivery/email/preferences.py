"""The kinds of email a person may stop, by category, and stopping one: from their page
(`updateMyProfile`) or from the unsubscribe link every such email carries (RFC 8058's
one-click POST included). Whatever is not transactional (hub/delivery/email/kinds.TRANSACTIONAL) is
in exactly one category; mail about what a person answered is in none and always goes.

The outbox honours a stop when it claims a message (hub/delivery/outbox/claims), as it honours a
suppression: every kind of email passes there, whoever enqueued it and whenever."""

from __future__ import annotations

import enum
import hashlib
import secrets
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.delivery.email.kinds import MessageKind
from hub.infrastructure.db import dialect_insert
from hub.infrastructure.models import EmailOptOut, UnsubscribeToken


class EmailCategory(enum.StrEnum):
    REMINDERS = "reminders"
    HOST_MESSAGES = "host_messages"
    COMMITTEE_NOTICES = "committee_notices"


CATEGORY_OF_KIND: dict[str, EmailCategory] = {
    MessageKind.CONVENING_REMINDER: EmailCategory.REMINDERS,
    MessageKind.HOST_MESSAGE: EmailCategory.HOST_MESSAGES,
    MessageKind.COMMITTEE_ACTION_DUE: EmailCategory.COMMITTEE_NOTICES,
}

CATEGORIES = frozenset(str(category) for category in EmailCategory)

# Where an email's payload carries its unsubscribe link's token (hub/delivery/email/compose reads
# it).
TOKEN_KEY = "unsubscribe_token"


def category_of(kind: str) -> EmailCategory | None:
    """The category an email of this kind is in; None for transactional mail."""
    return CATEGORY_OF_KIND.get(kind)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def new_unsubscribe_token(
    session: AsyncSession, person_id: int, category: EmailCategory
) -> str:
    """An unguessable token that stops this category for this person, and nothing else."""
    token = secrets.token_urlsafe(32)
    session.add(
        UnsubscribeToken(token_hash=token_hash(token), person_id=person_id, category=category)
    )
    await session.flush()
    return token


@dataclass(frozen=True)
class Unsubscribed:
    person_id: int
    category: EmailCategory


async def token_owner(session: AsyncSession, token: str) -> Unsubscribed | None:
    """Whom and what a link's token names; None for a token the hub never gave."""
    if not token or len(token) > 100:
        return None
    row = await session.scalar(
        select(UnsubscribeToken).where(UnsubscribeToken.token_hash == token_hash(token))
    )
    if row is None or row.category not in CATEGORIES:
        return None
    return Unsubscribed(row.person_id, EmailCategory(row.category))


async def unsubscribe(session: AsyncSession, token: str) -> Unsubscribed | None:
    """Stops the token's category for its person (again, harmlessly, on a second use)."""
    owner = await token_owner(session, token)
    if owner is not None:
        await stop(session, owner.person_id, [owner.category])
    return owner


async def stop(session: AsyncSession, person_id: int, categories: Iterable[EmailCategory]) -> None:
    for category in categories:
        insert = dialect_insert(session, EmailOptOut).values(
            person_id=person_id, category=str(category)
        )
        await session.execute(
            insert.on_conflict_do_nothing(index_elements=["person_id", "category"])
        )


async def choose(
    session: AsyncSession, person_id: int, receives: Collection[EmailCategory]
) -> None:
    """The person gets exactly these categories from now on."""
    await stop(session, person_id, [c for c in EmailCategory if c not in receives])
    await session.execute(
        delete(EmailOptOut).where(
            EmailOptOut.person_id == person_id,
            EmailOptOut.category.in_(sorted(str(c) for c in receives)),
        )
    )


async def stopped_categories(session: AsyncSession, person_id: int) -> set[EmailCategory]:
    statement = select(EmailOptOut.category).where(EmailOptOut.person_id == person_id)
    return {EmailCategory(c) for c in await session.scalars(statement) if c in CATEGORIES}


async def stopped_by_person(
    session: AsyncSession, person_ids: Collection[int]
) -> dict[int, set[str]]:
    """For the outbox's claim: each of these people's stopped categories."""
    if not person_ids:
        return {}
    rows = await session.execute(
        select(EmailOptOut.person_id, EmailOptOut.category).where(
            EmailOptOut.person_id.in_(sorted(person_ids))
        )
    )
    stopped: dict[int, set[str]] = {}
    for person_id, category in rows.all():
        stopped.setdefault(person_id, set()).add(category)
    return stopped

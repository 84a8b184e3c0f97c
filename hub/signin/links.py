"""Asking for a sign-in link and using one. The answer to a request never tells whether the
address is known; a link works once, within its lifetime, and only its hash is stored."""

from __future__ import annotations

import enum
import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hub.models import Person, SigninLink
from hub.outbox.enqueue import enqueue_email
from hub.signin.limits import record_attempt

LINK_LIFETIME = timedelta(minutes=15)
SIGNIN_EMAIL_KIND = "signin_link"


class LinkRequest(enum.StrEnum):
    # Sent if the address is known: the same answer either way.
    ACCEPTED = "ACCEPTED"
    RATE_LIMITED = "RATE_LIMITED"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_url(base_url: str, token: str) -> str:
    return f"{base_url}/signin/link?token={token}"


async def request_link(
    session: AsyncSession, *, email: str, client: str, base_url: str, now: datetime
) -> LinkRequest:
    address = email.strip().lower()
    if not await record_attempt(session, address, client, now):
        return LinkRequest.RATE_LIMITED
    person = await session.scalar(select(Person).where(Person.email == address))
    if person is not None:
        await _send_link(session, person, base_url, now)
    return LinkRequest.ACCEPTED


async def _send_link(session: AsyncSession, person: Person, base_url: str, now: datetime) -> None:
    token = secrets.token_urlsafe(32)
    link = SigninLink(
        token_hash=token_hash(token), person_id=person.id, expires_at=now + LINK_LIFETIME
    )
    session.add(link)
    await session.flush()
    payload = {"recipient_name": person.name, "link": link_url(base_url, token)}
    await enqueue_email(
        session, person, kind=SIGNIN_EMAIL_KIND, dedupe_key=f"signin:{link.id}", payload=payload
    )


async def consume_link(session: AsyncSession, token: str, now: datetime) -> int | None:
    """The person the link signs in, or None when it is unknown, used or expired. One
    conditional UPDATE marks it used, so two simultaneous uses cannot both succeed."""
    statement = (
        update(SigninLink)
        .where(
            SigninLink.token_hash == token_hash(token),
            SigninLink.used_at.is_(None),
            SigninLink.expires_at > now,
        )
        .values(used_at=now)
        .returning(SigninLink.person_id)
    )
    return (await session.execute(statement)).scalar_one_or_none()

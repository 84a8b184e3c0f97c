"""Asking for a sign-in link and using one. Neither the answer to a request nor the time it
takes tells whether the address is known; a link works once, within its lifetime, and only
its hash is stored. A sign-in link is transactional: an unsubscribe does not stop it, a bounce
or a spam report does, and then the asker is told so."""

from __future__ import annotations

import enum
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

from sqlalchemy import String, insert, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hub.delivery.email.enqueue import enqueue_email_to_address
from hub.delivery.email.kinds import MessageKind
from hub.delivery.email.suppressions import normalized, stops_all_mail, suppression_reason
from hub.domains.signin.limits import record_attempt
from hub.infrastructure.models import Person, SigninLink

LINK_LIFETIME = timedelta(minutes=15)


class LinkRequest(enum.StrEnum):
    # A link is on its way if the address is known: the same answer, and the same work,
    # either way.
    ACCEPTED = "ACCEPTED"
    # The address takes no mail from the hub (it bounced, or its owner reported the hub's
    # mail as spam): no link will arrive, known address or not.
    UNDELIVERABLE = "UNDELIVERABLE"
    RATE_LIMITED = "RATE_LIMITED"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_url(base_url: str, token: str, next_path: str | None = None) -> str:
    """The link in the email; `next_path` (a path on this site, checked again when the link
    is used) is where the person lands once signed in."""
    url = f"{base_url}/signin/link?token={token}"
    return f"{url}&{urlencode({'next': next_path})}" if next_path else url


async def request_link(
    session: AsyncSession,
    *,
    email: str,
    client: str,
    base_url: str,
    now: datetime,
    next_path: str | None = None,
) -> LinkRequest:
    """Asks for a link for an address. The statements that run are the same whether the
    address belongs to a person or not (the rows they write differ), so neither the answer
    nor the time it takes tells."""
    address = normalized(email)
    if not await record_attempt(session, address, client, now):
        return LinkRequest.RATE_LIMITED
    if stops_all_mail(await suppression_reason(session, address)):
        return LinkRequest.UNDELIVERABLE
    await _send_link(session, address, base_url, now, next_path)
    return LinkRequest.ACCEPTED


async def _send_link(
    session: AsyncSession, address: str, base_url: str, now: datetime, next_path: str | None
) -> None:
    """Writes the link and its email for the person with this address; for an unknown
    address both INSERT ... SELECTs select no row."""
    token = secrets.token_urlsafe(32)
    hashed = token_hash(token)
    name = await session.scalar(select(Person.name).where(Person.email == address))
    moment = SigninLink.expires_at.type
    link = select(
        literal(hashed, String()),
        Person.id,
        literal(now + LINK_LIFETIME, moment),
        literal(now, moment),
    )
    await session.execute(
        insert(SigninLink).from_select(
            ["token_hash", "person_id", "expires_at", "created_at"],
            link.where(Person.email == address),
        )
    )
    payload = {"recipient_name": name or "", "link": link_url(base_url, token, next_path)}
    await enqueue_email_to_address(
        session,
        address,
        kind=MessageKind.SIGNIN_LINK,
        dedupe_key=f"signin:{hashed}",
        payload=payload,
    )


@dataclass(frozen=True)
class SignedIn:
    person_id: int
    # The language the person chose ("en" or "es"): their pages use it from the first one.
    language: str


async def consume_link(session: AsyncSession, token: str, now: datetime) -> SignedIn | None:
    """Who the link signs in, or None when it is unknown, used or expired. One conditional
    UPDATE marks it used, so two simultaneous uses cannot both succeed."""
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
    person_id = (await session.execute(statement)).scalar_one_or_none()
    if person_id is None:
        return None
    language = await session.scalar(select(Person.preferred_language).where(Person.id == person_id))
    return SignedIn(person_id, str(language).lower())

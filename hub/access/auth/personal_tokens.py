"""Personal access tokens: bearer tokens a person makes, names, lists and revokes on their page
(an operator makes them with `hub token`; an admin revokes anyone's). Only a hash is stored;
the `hub_pat_` prefix lets secret scanners recognise a leaked one, as GitHub's `ghp_` does.
Whether a token still stands is the database's to say on every request
(hub/access/auth/viewer.py)."""

from __future__ import annotations

import hashlib
import secrets
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hub.access.auth.errors import CredentialErrorCode
from hub.access.auth.tokens import TokenClaims
from hub.common.errors import InputError, InputErrors
from hub.common.text import is_storable_text
from hub.infrastructure.audit import record_audit
from hub.infrastructure.db import transaction
from hub.infrastructure.models import PersonalAccessToken
from hub.infrastructure.models.base import utcnow

PREFIX = "hub_pat_"
READ = "read"
WRITE = "write"
# The scopes a person may choose: read, or read and write.
SCOPE_CHOICES = (frozenset({READ}), frozenset({READ, WRITE}))
NAME_LENGTH = 100
MAX_LIFETIME = timedelta(days=366)
# last_used_at is written at most this often per token and process: not a write per request.
USE_GRANULARITY_SECONDS = 60
MAX_REMEMBERED_USES = 10_000
REVOKED_BY_ADMIN = "personal_token.revoked_by_admin"


TokenErrorCode = CredentialErrorCode


@dataclass(frozen=True)
class MadeToken:
    token: PersonalAccessToken
    # The token itself: shown once, never stored.
    secret: str


def is_personal_token(bearer: str) -> bool:
    return bearer.startswith(PREFIX)


def personal_token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def personal_token_claims(secret: str) -> TokenClaims:
    """Claims naming the token by its hash: who it stands for is read from the database."""
    return TokenClaims(
        subject=f"pat:{personal_token_hash(secret)}", scopes=frozenset(), expires_at=0
    )


def scope_text(scopes: frozenset[str]) -> str:
    return " ".join(sorted(scopes))


async def make_personal_token(
    session: AsyncSession,
    *,
    person_id: int,
    name: str,
    scopes: frozenset[str],
    expires_at: datetime,
    now: datetime,
) -> MadeToken:
    """A new token for the person; every mistake in the input is reported at once, and then
    nothing is written."""
    cleaned = _checked_name(name, scopes, expires_at, now)
    secret = PREFIX + secrets.token_urlsafe(30)
    token = PersonalAccessToken(
        person_id=person_id,
        name=cleaned,
        token_hash=personal_token_hash(secret),
        scope=scope_text(scopes),
        created_at=now,
        expires_at=expires_at,
    )
    session.add(token)
    await session.flush()
    return MadeToken(token, secret)


def _checked_name(name: str, scopes: frozenset[str], expires_at: datetime, now: datetime) -> str:
    errors: list[InputError] = []
    cleaned = " ".join(name.split())
    if not cleaned:
        errors.append(InputError("name", TokenErrorCode.REQUIRED, "Name the token."))
    elif len(cleaned) > NAME_LENGTH or not is_storable_text(cleaned):
        message = f"Give the token a name of at most {NAME_LENGTH} characters."
        errors.append(InputError("name", TokenErrorCode.TOO_LONG, message))
    if scopes not in SCOPE_CHOICES:
        message = "Choose read, or read and write."
        errors.append(InputError("scopes", TokenErrorCode.INVALID_SCOPES, message))
    if expires_at <= now:
        message = "Choose an expiry in the future."
        errors.append(InputError("expiresAt", TokenErrorCode.EXPIRY_IN_THE_PAST, message))
    elif expires_at > now + MAX_LIFETIME:
        message = "A token lasts at most a year: choose an earlier expiry."
        errors.append(InputError("expiresAt", TokenErrorCode.EXPIRY_TOO_FAR, message))
    if errors:
        raise InputErrors(errors)
    return cleaned


async def tokens_of(session: AsyncSession, person_id: int) -> list[PersonalAccessToken]:
    """The person's tokens not revoked, newest first (expired ones too: they show as such)."""
    rows = await session.scalars(
        select(PersonalAccessToken)
        .where(PersonalAccessToken.person_id == person_id, PersonalAccessToken.revoked_at.is_(None))
        .order_by(PersonalAccessToken.created_at.desc(), PersonalAccessToken.id.desc())
    )
    return list(rows)


async def revoke_personal_token(
    session: AsyncSession,
    token_id: int,
    *,
    actor_id: int | None,
    owner_id: int | None,
    now: datetime,
) -> PersonalAccessToken:
    """Revokes a live token: the owner's own (`owner_id` given), or anyone's (an admin's or the
    command line's, `owner_id` None: audited). An unknown, revoked or someone else's token is
    NOT_FOUND, alike, so that nobody learns of tokens not theirs."""
    statement = update(PersonalAccessToken).where(
        PersonalAccessToken.id == token_id, PersonalAccessToken.revoked_at.is_(None)
    )
    if owner_id is not None:
        statement = statement.where(PersonalAccessToken.person_id == owner_id)
    revoked = (
        await session.execute(
            statement.values(revoked_at=now, revoked_by_id=actor_id).returning(PersonalAccessToken)
        )
    ).scalar_one_or_none()
    if revoked is None:
        raise InputError("id", TokenErrorCode.NOT_FOUND, "There is no such token to revoke.")
    if owner_id is None:
        detail = f"token {revoked.id} ({revoked.name}) of person {revoked.person_id}"
        await record_audit(
            session, action=REVOKED_BY_ADMIN, actor_id=actor_id, detail=detail, now=now
        )
    return revoked


async def revoke_tokens_of(
    session: AsyncSession, person_id: int, *, actor_id: int | None, now: datetime
) -> int:
    """Revokes every live token of the person; says how many."""
    result = await session.execute(
        update(PersonalAccessToken)
        .where(PersonalAccessToken.person_id == person_id, PersonalAccessToken.revoked_at.is_(None))
        .values(revoked_at=now, revoked_by_id=actor_id)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


class RecentUses:
    """When this process last wrote each token's last use, so that it writes at most once a
    minute per token (the time shown is that coarse)."""

    def __init__(self, size: int = MAX_REMEMBERED_USES) -> None:
        self._size = size
        self._written: OrderedDict[int, float] = OrderedDict()

    def due(self, token_id: int) -> bool:
        now = time.monotonic()
        last = self._written.get(token_id)
        if last is not None and now - last < USE_GRANULARITY_SECONDS:
            return False
        self._written[token_id] = now
        self._written.move_to_end(token_id)
        while len(self._written) > self._size:
            self._written.popitem(last=False)
        return True


RECENT_USES = RecentUses()


async def note_use(sessions: async_sessionmaker[AsyncSession], token_id: int | None) -> None:
    """Writes a token's last use in a unit of work of its own (a read's own transaction never
    writes), when this process has not written it within the minute."""
    if token_id is None or not RECENT_USES.due(token_id):
        return
    async with transaction(sessions) as session:
        await mark_used(session, token_id, utcnow())


async def mark_used(session: AsyncSession, token_id: int, now: datetime) -> None:
    """Writes the token's last use, unless another process wrote it within the minute."""
    await session.execute(
        update(PersonalAccessToken)
        .where(
            PersonalAccessToken.id == token_id,
            or_(
                PersonalAccessToken.last_used_at.is_(None),
                PersonalAccessToken.last_used_at < now - timedelta(seconds=USE_GRANULARITY_SECONDS),
            ),
        )
        .values(last_used_at=now)
    )

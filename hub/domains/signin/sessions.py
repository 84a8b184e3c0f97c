"""Sessions held by the server: one row per sign-in, found by a hash of the random secret the
browser's cookie holds. Ending a row ends the session for good, whoever holds a copy of the
cookie; a session also ends on its own when idle too long or simply too old."""

from __future__ import annotations

import enum
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hub.access.auth.errors import CredentialErrorCode
from hub.common.errors import InputError
from hub.infrastructure.audit import record_audit
from hub.infrastructure.config import Settings
from hub.infrastructure.models import SignInSession

EMAIL_PROVIDER = "email"
# last_seen_at is written at most this often per session: not a write per request.
LAST_SEEN_GRANULARITY = timedelta(minutes=1)
USER_AGENT_LENGTH = 300
ENDED_BY_ADMIN = "session.ended_by_admin"


class SessionEnd(enum.StrEnum):
    SIGNED_OUT = "signed_out"
    SIGNED_OUT_EVERYWHERE = "signed_out_everywhere"
    ENDED_BY_ADMIN = "ended_by_admin"
    PERSON_REMOVED = "person_removed"


@dataclass(frozen=True)
class Lifetimes:
    idle: timedelta
    absolute: timedelta


@dataclass(frozen=True)
class LiveSession:
    id: int
    person_id: int


def lifetimes_of(settings: Settings) -> Lifetimes:
    return Lifetimes(
        idle=timedelta(hours=settings.session_idle_hours),
        absolute=timedelta(days=settings.session_absolute_days),
    )


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


async def open_session(
    session: AsyncSession,
    *,
    person_id: int,
    provider: str,
    user_agent: str | None,
    now: datetime,
) -> str:
    """A new session for the person; returns the secret the cookie carries (only its hash is
    stored, so the database never holds a usable cookie)."""
    secret = secrets.token_urlsafe(32)
    session.add(
        SignInSession(
            person_id=person_id,
            secret_hash=secret_hash(secret),
            provider=provider,
            user_agent=(user_agent or "")[:USER_AGENT_LENGTH] or None,
            created_at=now,
            last_seen_at=now,
        )
    )
    await session.flush()
    return secret


async def live_session(
    session: AsyncSession, secret: str, *, now: datetime, lifetimes: Lifetimes
) -> LiveSession | None:
    """The session this secret opens, or None when it is unknown, ended, idle too long or
    too old. Marks it seen, at most once per LAST_SEEN_GRANULARITY."""
    row = await session.scalar(
        select(SignInSession).where(
            SignInSession.secret_hash == secret_hash(secret),
            SignInSession.ended_at.is_(None),
            SignInSession.last_seen_at > now - lifetimes.idle,
            SignInSession.created_at > now - lifetimes.absolute,
        )
    )
    if row is None:
        return None
    if row.last_seen_at <= now - LAST_SEEN_GRANULARITY:
        row.last_seen_at = now
        await session.flush()
    return LiveSession(row.id, row.person_id)


async def end_session(session: AsyncSession, secret: str, now: datetime) -> None:
    """Signs this browser out: its row ends for good."""
    await session.execute(
        update(SignInSession)
        .where(SignInSession.secret_hash == secret_hash(secret), SignInSession.ended_at.is_(None))
        .values(ended_at=now, end_reason=SessionEnd.SIGNED_OUT.value)
    )


async def end_sessions_of(
    session: AsyncSession, person_id: int, reason: SessionEnd, now: datetime
) -> int:
    """Ends every live session of the person; says how many."""
    result = await session.execute(
        update(SignInSession)
        .where(SignInSession.person_id == person_id, SignInSession.ended_at.is_(None))
        .values(ended_at=now, end_reason=reason.value)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def end_session_by_id(
    session: AsyncSession,
    session_id: int,
    *,
    owner_id: int | None,
    actor_id: int | None,
    now: datetime,
) -> None:
    """Ends one live session: its owner's (`owner_id` given), or anyone's (an admin's, audited).
    An unknown, ended or someone else's session is NOT_FOUND, alike."""
    statement = update(SignInSession).where(
        SignInSession.id == session_id, SignInSession.ended_at.is_(None)
    )
    if owner_id is not None:
        statement = statement.where(SignInSession.person_id == owner_id)
    reason = SessionEnd.SIGNED_OUT if owner_id is not None else SessionEnd.ENDED_BY_ADMIN
    ended = (
        await session.execute(
            statement.values(ended_at=now, end_reason=reason.value).returning(
                SignInSession.person_id
            )
        )
    ).scalar_one_or_none()
    if ended is None:
        raise InputError("id", CredentialErrorCode.NOT_FOUND, "There is no such session to end.")
    if owner_id is None:
        detail = f"session {session_id} of person {ended}"
        await record_audit(
            session, action=ENDED_BY_ADMIN, actor_id=actor_id, detail=detail, now=now
        )


async def live_sessions_of(
    session: AsyncSession, person_id: int, *, now: datetime, lifetimes: Lifetimes
) -> list[SignInSession]:
    """The person's sessions still open, most recently seen first."""
    rows = await session.scalars(
        select(SignInSession)
        .where(
            SignInSession.person_id == person_id,
            SignInSession.ended_at.is_(None),
            SignInSession.last_seen_at > now - lifetimes.idle,
            SignInSession.created_at > now - lifetimes.absolute,
        )
        .order_by(SignInSession.last_seen_at.desc(), SignInSession.id.desc())
    )
    return list(rows)

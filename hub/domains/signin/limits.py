"""How many sign-in links may be asked for, per address and per client, in a window."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from hub.infrastructure.models import SigninAttempt

WINDOW = timedelta(minutes=15)
PER_EMAIL = 5
PER_CLIENT = 20


async def record_attempt(session: AsyncSession, email: str, client: str, now: datetime) -> bool:
    """Counts this request, then answers whether it stays within both limits."""
    await _serialize_per_email(session, email)
    session.add(SigninAttempt(email=email, client_address=client, created_at=now))
    await session.flush()
    by_email = await _count_since(session, SigninAttempt.email == email, now)
    by_client = await _count_since(session, SigninAttempt.client_address == client, now)
    return by_email <= PER_EMAIL and by_client <= PER_CLIENT


async def _count_since(session: AsyncSession, where: object, now: datetime) -> int:
    statement = select(func.count()).where(where, SigninAttempt.created_at > now - WINDOW)  # type: ignore[arg-type]
    return int(await session.scalar(statement) or 0)


async def _serialize_per_email(session: AsyncSession, email: str) -> None:
    # PostgreSQL: simultaneous requests for one address take turns, so none counts past the
    # limit unseen. (SQLite already serializes writers with BEGIN IMMEDIATE.)
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(
            text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"signin:{email}"}
        )

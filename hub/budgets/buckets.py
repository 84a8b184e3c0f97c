"""Charging a caller's budget: one atomic upsert per request, in the database every hub process
shares, so N processes never grant N budgets."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.budgets.callers import Caller
from hub.db import dialect_insert
from hub.models import RateLimitBucket


@dataclass(frozen=True)
class Charge:
    """The state of a caller's budget after a request asked for `cost` points."""

    admitted: bool
    cost: int
    limit: int
    used: int
    reset_at: datetime

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)

    def seconds_to_reset(self, now: datetime) -> int:
        return max(1, math.ceil((self.reset_at - now).total_seconds()))


def window_start(now: datetime, window_seconds: int) -> datetime:
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % window_seconds, UTC)


async def charge(session: AsyncSession, caller: Caller, cost: int, now: datetime) -> Charge:
    """Adds `cost` to the caller's window only if it still fits; a refused request spends
    nothing. The caller commits (see hub/graphql/budget.py)."""
    start = window_start(now, caller.window_seconds)
    reset_at = start + timedelta(seconds=caller.window_seconds)
    used = await _add_if_it_fits(session, caller, start, cost) if cost <= caller.limit else None
    if used is None:
        spent = await _points_used(session, caller.key, start)
        return Charge(False, cost, caller.limit, spent, reset_at)
    return Charge(True, cost, caller.limit, used, reset_at)


async def usage(session: AsyncSession, caller: Caller, now: datetime) -> Charge:
    """The budget as it stands, charging nothing (for answers that ran no query)."""
    start = window_start(now, caller.window_seconds)
    spent = await _points_used(session, caller.key, start)
    reset_at = start + timedelta(seconds=caller.window_seconds)
    return Charge(True, 0, caller.limit, spent, reset_at)


async def _add_if_it_fits(
    session: AsyncSession, caller: Caller, start: datetime, cost: int
) -> int | None:
    """The points used after adding `cost`, or None when they would pass the limit.

    INSERT ... ON CONFLICT DO UPDATE ... WHERE is one atomic statement on both dialects: on
    PostgreSQL concurrent upserts queue on the row and re-check the WHERE against the newest
    count; SQLite serializes writers (BEGIN IMMEDIATE)."""
    table = RateLimitBucket.__table__
    insert = dialect_insert(session, table).values(
        caller_key=caller.key, window_start=start, points=cost
    )
    upsert = insert.on_conflict_do_update(
        index_elements=["caller_key", "window_start"],
        set_={"points": table.c.points + insert.excluded.points},
        where=table.c.points + insert.excluded.points <= caller.limit,
    ).returning(table.c.points)
    return (await session.execute(upsert)).scalar_one_or_none()  # type: ignore[no-any-return]


async def _points_used(session: AsyncSession, caller_key: str, start: datetime) -> int:
    statement = select(RateLimitBucket.points).where(
        RateLimitBucket.caller_key == caller_key, RateLimitBucket.window_start == start
    )
    return int(await session.scalar(statement) or 0)

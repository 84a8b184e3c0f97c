"""Charging a caller's budget: one atomic upsert per request, in the database every hub process
shares, so N processes never grant N budgets."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import BigInteger, Dialect, bindparam, delete, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import ReturningInsert

from hub.access.budgets.callers import Caller
from hub.infrastructure.db import insert_for
from hub.infrastructure.driver import RowReader, session_reader
from hub.infrastructure.models import RateLimitBucket
from hub.infrastructure.observability.hooks import budget_refused


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
    nothing. The caller commits at once, having written nothing else in the transaction
    (see hub/interfaces/graphql/budget.py): on PostgreSQL that commit does not wait for the WAL's
    flush (see charge_committed_lazily)."""
    dialect = session.get_bind().dialect
    return await charge_with(session_reader(session), dialect, caller, cost, now)


async def charge_with(
    read: RowReader, dialect: Dialect, caller: Caller, cost: int, now: datetime
) -> Charge:
    used = None
    if cost <= caller.limit:
        # INSERT ... ON CONFLICT DO UPDATE ... WHERE is one atomic statement on both dialects:
        # on PostgreSQL concurrent upserts queue on the row and re-check the WHERE against the
        # newest count; SQLite serializes writers (BEGIN IMMEDIATE).
        added = await read(charge_committed_lazily(dialect.name), charge_values(caller, cost, now))
        used = added[0][-1] if added else None
    if used is None:
        start = window_start(now, caller.window_seconds)
        spent = await _points_used(read, caller.key, start)
        budget_refused(caller.key, "spent" if caller.could_ever_afford(cost) else "too_costly")
        return Charge(False, cost, caller.limit, spent, _reset_at(caller, now))
    return admitted_charge(caller, cost, used, now)


def charge_values(caller: Caller, cost: int, now: datetime) -> dict[str, Any]:
    """The values add_if_it_fits' statement is run with."""
    start = window_start(now, caller.window_seconds)
    return {"key": caller.key, "start": start, "cost": cost, "limit": caller.limit}


def admitted_charge(caller: Caller, cost: int, used: int, now: datetime) -> Charge:
    """An admitted charge, from the points add_if_it_fits' statement returned."""
    return Charge(True, cost, caller.limit, used, _reset_at(caller, now))


def _reset_at(caller: Caller, now: datetime) -> datetime:
    return window_start(now, caller.window_seconds) + timedelta(seconds=caller.window_seconds)


async def usage(session: AsyncSession, caller: Caller, now: datetime) -> Charge:
    """The budget as it stands, charging nothing (for answers that ran no query)."""
    start = window_start(now, caller.window_seconds)
    spent = await _points_used(session_reader(session), caller.key, start)
    reset_at = start + timedelta(seconds=caller.window_seconds)
    return Charge(True, 0, caller.limit, spent, reset_at)


@cache
def add_if_it_fits(dialect_name: str) -> ReturningInsert[tuple[int]]:
    """The points used after adding the cost, or no row when they would pass the limit
    (values: charge_values)."""
    return charge_returning(dialect_name)


@cache
def charge_committed_lazily(dialect_name: str) -> ReturningInsert[Any]:
    """add_if_it_fits, which on PostgreSQL also lets its transaction commit without waiting
    for the WAL's flush (`synchronous_commit` off, for this transaction only), as the compiled
    path's charge does: a transaction that writes nothing else may lose, in a server crash,
    the last moment's charges and nothing else, and one caller's concurrent requests do not
    queue behind each other's disk flushes on the bucket's row. The points come last."""
    if dialect_name != "postgresql":
        return add_if_it_fits(dialect_name)
    flush_not_awaited = func.set_config("synchronous_commit", "off", true())
    return charge_returning(dialect_name, flush_not_awaited)


def charge_returning(dialect_name: str, *before: Any) -> ReturningInsert[Any]:
    """add_if_it_fits' statement returning `before` (any expressions) ahead of the points."""
    table = RateLimitBucket.__table__
    insert: Any = insert_for(dialect_name, RateLimitBucket).values(
        caller_key=bindparam("key"), window_start=bindparam("start"), points=bindparam("cost")
    )
    return insert.on_conflict_do_update(  # type: ignore[no-any-return]
        index_elements=["caller_key", "window_start"],
        set_={"points": table.c.points + insert.excluded.points},
        where=table.c.points + insert.excluded.points <= bindparam("limit", type_=BigInteger),
    ).returning(*before, table.c.points)


_POINTS_USED = select(RateLimitBucket.points).where(
    RateLimitBucket.caller_key == bindparam("key"),
    RateLimitBucket.window_start == bindparam("start"),
)


async def _points_used(read: RowReader, caller_key: str, start: datetime) -> int:
    rows = await read(_POINTS_USED, {"key": caller_key, "start": start})
    return int(rows[0][0]) if rows else 0


async def prune_spent_windows(session: AsyncSession, now: datetime, window_seconds: int) -> int:
    """Deletes the buckets of windows that ended before the current one began (nothing reads
    them again); any number of workers may run it at once. Returns how many went."""
    current = window_start(now, window_seconds)
    statement = delete(RateLimitBucket).where(RateLimitBucket.window_start < current)
    result = await session.execute(statement)
    return int(result.rowcount or 0)  # type: ignore[attr-defined]

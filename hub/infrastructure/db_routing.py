"""Which database serves a read: the primary, or a streaming replica (HUB_DATABASE_REPLICA_URL).

Everything that writes goes to the primary. A read goes to the replica unless
- the replica is down, or lags more than `replica_max_lag_seconds`: it is then skipped, with a
  warning in the log, and the read goes to the primary (never an error to the reader);
- the reader wrote recently and the replica has not yet applied that write. A write is answered
  with a signed marker (a cookie, see hub/interfaces/web/database_choice.py) naming the primary's
  WAL position after its commit; until the replica has replayed up to it, that reader's reads go to
  the primary, so a person always sees their own RSVP (GitLab's "sticky primary"). The marker
  lives in the client, so whichever process serves the next request decides the same way.

What a process keeps is the replica's health, checked at most once a second: nobody's state.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from dataclasses import dataclass

import asyncpg
from itsdangerous import BadSignature, TimestampSigner
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from hub.infrastructure.driver import ConnectionLost, driver_connection

logger = logging.getLogger(__name__)

# What a server that went away, or is starting or stopping, raises on the way to it.
CONNECTION_FAILURES = (
    ConnectionLost,
    OSError,
    TimeoutError,
    DBAPIError,
    asyncpg.PostgresError,
    asyncpg.InterfaceError,
)

# How long a writer's reads may stay on the primary, at least; and always longer than the
# lag limit, past which a replica that is still used has applied the write anyway.
MIN_STICKY_SECONDS = 30
HEALTHY_RECHECK_SECONDS = 1.0
# A replica found down is tried again this much later, not on every request.
UNHEALTHY_RECHECK_SECONDS = 5.0
REPLICA_CONNECT_TIMEOUT_SECONDS = 2.0

# Lag as time: zero when everything received is applied (an idle primary is not lag),
# otherwise the age of the last transaction applied (unbounded before the first one).
_REPLICA_STATE = """
SELECT pg_last_wal_replay_lsn(),
       CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
            ELSE coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8,
                          'Infinity') END
"""


@dataclass(frozen=True)
class Database:
    """One server: its engine and its sessions."""

    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]


class Replica:
    """A streaming replica and what this process last learned of its health."""

    def __init__(self, database: Database, max_lag_seconds: float) -> None:
        self.database = database
        self.max_lag_seconds = max_lag_seconds
        self._replayed: int | None = None  # None: not usable
        self._next_check = 0.0
        self._checking = asyncio.Lock()

    async def replayed(self) -> int | None:
        """The WAL position the replica has applied, or None when it is down or lags too far."""
        if time.monotonic() >= self._next_check:
            async with self._checking:
                if time.monotonic() >= self._next_check:
                    self._replayed = await self._check()
                    healthy = self._replayed is not None
                    pause = HEALTHY_RECHECK_SECONDS if healthy else UNHEALTHY_RECHECK_SECONDS
                    self._next_check = time.monotonic() + pause
        return self._replayed

    def failed(self, error: BaseException) -> None:
        """A request found the replica broken: skipped from now until the next check."""
        logger.warning("the read replica failed (%s): reads go to the primary", error)
        self._replayed = None
        self._next_check = time.monotonic() + UNHEALTHY_RECHECK_SECONDS

    async def session(self) -> AsyncSession | None:
        """A session on the replica that has answered once, or None (and the replica is
        skipped) when it does not: a replica that went down since its last check costs the
        reader nothing but this round trip."""
        if self._replayed is None:
            return None
        session = self.database.sessions()
        try:
            await session.execute(text("SELECT 1"))
        except CONNECTION_FAILURES as error:
            self.failed(error)
            await _closed_quietly(session)
            return None
        return session

    async def has_replayed(self, position: int) -> bool:
        known = await self.replayed()
        if known is None:
            return False
        if known >= position:
            return True
        fresh = await self._state()
        return fresh is not None and fresh[0] is not None and fresh[0] >= position

    async def _check(self) -> int | None:
        state = await self._state()
        if state is None:
            return None
        replayed, lag = state
        if replayed is None:
            logger.warning("the read replica is not replaying WAL (not a replica?): skipped")
            return None
        if lag > self.max_lag_seconds:
            logger.warning(
                "the read replica lags %.1f s (limit %.1f s): reads go to the primary",
                lag,
                self.max_lag_seconds,
            )
            return None
        return int(replayed)

    async def _state(self) -> tuple[int | None, float] | None:
        try:
            async with driver_connection(self.database.engine) as connection:
                row = await connection.fetchrow(_REPLICA_STATE)
        except CONNECTION_FAILURES as error:
            logger.warning("the read replica does not answer (%s): reads go to the primary", error)
            return None
        return row[0], float(row[1] or 0)


async def _closed_quietly(session: AsyncSession) -> None:
    with contextlib.suppress(*CONNECTION_FAILURES):  # its connection is gone already
        await session.close()


class DatabaseRouting:
    """The primary, the replica if there is one, and the signed markers of recent writes."""

    def __init__(self, primary: Database, replica: Replica | None, secret: str) -> None:
        self.primary = primary
        self.replica = replica
        self._markers = TimestampSigner(secret, salt="hub-primary-position")
        lag_limit = 0 if replica is None else replica.max_lag_seconds
        self.sticky_seconds = max(MIN_STICKY_SECONDS, math.ceil(lag_limit) + 5)

    async def for_reading(self, marker: str | None) -> Database:
        """The database a read by a client holding `marker` (or none) goes to."""
        if self.replica is None:
            return self.primary
        written = self._position(marker)
        if written is not None:
            usable = await self.replica.has_replayed(written)
        else:
            usable = await self.replica.replayed() is not None
        return self.replica.database if usable else self.primary

    async def marker_after_write(self) -> str:
        """A marker of the primary's WAL position now (after a write's commit)."""
        async with driver_connection(self.primary.engine) as connection:
            position = await connection.fetchval("SELECT pg_current_wal_lsn()")
        return self._markers.sign(str(int(position))).decode()

    def _position(self, marker: str | None) -> int | None:
        if not marker:
            return None
        try:
            return int(self._markers.unsign(marker, max_age=self.sticky_seconds))
        except (BadSignature, ValueError):
            return None  # forged, damaged or expired: nothing to wait for

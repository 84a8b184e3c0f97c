"""The database engine and sessions: one session per request, committed in one place."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from sqlalchemy import event, exc
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

T = TypeVar("T")

SQLITE_BUSY_TIMEOUT_MS = 30_000
# A pooled PostgreSQL connection unused for longer than this is pinged before it is handed out.
PING_AFTER_IDLE_SECONDS = 5.0


def create_engine(
    database_url: str, pool_size: int = 5, *, transaction_pooler: bool = False, **options: Any
) -> AsyncEngine:
    """An engine for either dialect; SQLite gets WAL, a busy timeout and serialized writers.

    PostgreSQL gets a fixed pool of `pool_size` connections (no overflow): connections opened
    beyond the pool are closed as soon as they are returned, and under steady concurrency that
    churn (a server process forked and authenticated per request) cost more than the queries.
    With `transaction_pooler` (PgBouncer in transaction mode), see without_session_state."""
    if database_url.startswith("sqlite"):
        engine = create_async_engine(
            database_url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, **options
        )
        _serialize_sqlite_writers(engine.sync_engine)
        return engine
    if transaction_pooler:
        options["connect_args"] = {**options.get("connect_args", {}), **WITHOUT_SESSION_STATE}
    engine = create_async_engine(
        database_url,
        pool_size=pool_size,
        max_overflow=0,
        pool_timeout=30,
        pool_recycle=1800,
        **options,
    )
    _ping_connections_left_idle(engine.sync_engine)
    return engine


def _unnamed_statement() -> str:
    return ""


# Behind a transaction pooler, consecutive transactions of one client connection may run on
# different server connections, so nothing may outlive a transaction on the server. Named
# prepared statements would (PgBouncer 1.18 does not track them; 1.21's max_prepared_statements
# does), so neither asyncpg's statement cache nor SQLAlchemy's keeps any, and every statement
# is prepared as the unnamed statement, which the next one replaces: within a transaction its
# Parse and Bind reach the same server connection. (SQLAlchemy's documentation names unique
# statement names for PgBouncer; unnamed ones need no names and leave nothing behind.)
WITHOUT_SESSION_STATE: dict[str, Any] = {
    "statement_cache_size": 0,
    "prepared_statement_cache_size": 0,
    "prepared_statement_name_func": _unnamed_statement,
}


def _ping_connections_left_idle(engine: Engine) -> None:
    """pool_pre_ping would cost three round trips on every checkout with asyncpg (BEGIN, ping,
    ROLLBACK), as much as a whole compiled read. A busy hub takes connections back within
    milliseconds of returning them, and a server restart shows on connections that sat idle:
    only those are pinged, and one that fails is replaced before anyone uses it."""

    @event.listens_for(engine, "checkin")
    def on_checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.pop("idle_since", None)
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS:
            return
        try:
            dbapi_connection.ping()
        except Exception as error:
            # The pool discards this connection and checks out another.
            raise exc.DisconnectionError("the connection went away while idle") from error


def _serialize_sqlite_writers(engine: Engine) -> None:
    # SQLite ignores SELECT ... FOR UPDATE. Taking the write lock when the transaction
    # begins (BEGIN IMMEDIATE) makes check-then-write sequences atomic and avoids the
    # "database is locked" upgrade failures of deferred transactions.
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Space freed in a page is zeroed, at no extra I/O: a secret ballot's erased seals do
        # not linger in the database file (hub/domains/governance/ballot_box.py).
        cursor.execute("PRAGMA secure_delete=FAST")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


class SerialSession(AsyncSession):
    """A session whose database calls take turns, and finish once started.

    GraphQL resolves sibling fields concurrently, and an AsyncSession refuses concurrent use
    of its one connection. Queuing the calls keeps one transaction per request and lets
    DataLoaders still batch each level into a single statement. (`scalars` is not wrapped:
    AsyncSession implements it through `execute`, and the turn is not re-entrant.)

    When a field fails, the executor cancels its siblings. A statement cancelled mid-flight
    leaves the connection in an unknown state and the session unusable, so the field that
    failed cleanly would be reported as an unexpected error. Each call therefore runs in a task
    of its own, shielded from its caller's cancellation: a cancelled caller stops waiting at
    once, the statement it started still completes, and the next call (the request's commit)
    waits for it. A call cancelled before its turn came is not run at all.

    When a field's error nulls the whole answer, graphql-core answers at once and does not
    cancel the fields still running beside it. Once the session's block has ended (`async
    with`), its unit of work is over: a call made or still waiting then is cancelled, instead of
    beginning a transaction on a new connection that nobody would end (on SQLite it would hold
    the write lock)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._turn = asyncio.Lock()
        self._ended = False

    async def __aexit__(self, type_: Any, value: Any, traceback: Any) -> None:
        self._ended = True
        await super().__aexit__(type_, value, traceback)

    async def _in_turn(self, call: Callable[[], Awaitable[T]], *, ending: bool = False) -> T:
        abandoned = False

        def refused() -> bool:
            return abandoned or (self._ended and not ending)

        if refused():
            raise asyncio.CancelledError()

        async def in_turn() -> T:
            async with self._turn:
                if refused():
                    raise asyncio.CancelledError()
                return await call()

        task = asyncio.ensure_future(in_turn())
        task.add_done_callback(_retrieve_outcome)
        try:
            return await asyncio.shield(task)
        except asyncio.CancelledError:
            abandoned = True
            raise

    async def execute(self, *args: Any, **kwargs: Any) -> Any:
        return await self._in_turn(lambda: super(SerialSession, self).execute(*args, **kwargs))

    async def scalar(self, *args: Any, **kwargs: Any) -> Any:
        return await self._in_turn(lambda: super(SerialSession, self).scalar(*args, **kwargs))

    async def get(self, *args: Any, **kwargs: Any) -> Any:
        return await self._in_turn(lambda: super(SerialSession, self).get(*args, **kwargs))

    async def refresh(self, *args: Any, **kwargs: Any) -> None:
        await self._in_turn(lambda: super(SerialSession, self).refresh(*args, **kwargs))

    async def flush(self, *args: Any, **kwargs: Any) -> None:
        await self._in_turn(lambda: super(SerialSession, self).flush(*args, **kwargs))

    async def commit(self) -> None:
        await self._in_turn(super().commit)

    async def rollback(self) -> None:
        await self._in_turn(super().rollback)

    async def close(self) -> None:
        await self._in_turn(super().close, ending=True)


def _retrieve_outcome(task: asyncio.Future[Any]) -> None:
    """An abandoned call's failure has no one to raise to; retrieving it keeps asyncio from
    reporting it as never retrieved (the request's commit or rollback meets its effects)."""
    if not task.cancelled():
        task.exception()


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, class_=SerialSession, expire_on_commit=False)


@asynccontextmanager
async def transaction(
    sessions: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    """A unit of work: committed when the block ends normally, rolled back otherwise."""
    async with sessions() as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise


def dialect_insert(session: AsyncSession, table: Any) -> Any:
    """An INSERT that supports ON CONFLICT on both dialects (PostgreSQL and SQLite)."""
    return insert_for(session.get_bind().dialect.name, table)


def insert_for(dialect_name: str, table: Any) -> Any:
    """dialect_insert for a dialect named ahead of any session (a statement built once)."""
    if dialect_name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table)

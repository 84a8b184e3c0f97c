"""Statements run straight on the database driver's connection, for the compiled read path.

SQLAlchemy builds and compiles each statement once; a request then pays only the driver's
round trip: no ORM session, no transaction control (each statement is its own transaction),
no pool ping. On PostgreSQL through asyncpg; on SQLite through aiosqlite, wrapped to answer
the same two calls (SQLiteConnection).

Code that both paths share (the viewer's lookup, the budget's charge) reads rows through a
`RowReader`, made from a session or from a driver connection: one statement, two ways to run it.
"""

from __future__ import annotations

import asyncio
import weakref
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
from sqlalchemy import Dialect
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.sql import ClauseElement, Executable
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.util import greenlet_spawn

Rows = Sequence[tuple[Any, ...]]
RowReader = Callable[[Executable, Mapping[str, Any]], Awaitable[Rows]]


class DriverStatement:
    """One statement, compiled once for the dialect, run with values by name."""

    def __init__(self, statement: ClauseElement | Executable, dialect: Dialect) -> None:
        assert isinstance(statement, ClauseElement)
        compiled = statement.compile(dialect=dialect)
        assert isinstance(compiled, SQLCompiler)
        self._compiled = compiled
        self.sql = compiled.string
        # Lists bound to IN (...) change the SQL's text with their length: rendered per call.
        self._expanding = bool(compiled.post_compile_params or compiled.literal_execute_params)
        self._names: Sequence[str] = tuple(compiled.positiontup or ())
        self._defaults = dict(compiled.construct_params(_check=False))
        processors = compiled._bind_processors
        self._processors = tuple(processors.get(name) for name in self._names)
        self._results: tuple[Callable[[Any], Any] | None, ...] = tuple(
            column.type._cached_result_processor(dialect, None)  # type: ignore[attr-defined]
            for column in compiled._result_columns
        )

    def bound(self, values: Mapping[str, Any]) -> tuple[str, list[Any]]:
        """The SQL text and its positional values for these named values."""
        if self._expanding:
            state = self._compiled.construct_expanded_state({**self._defaults, **values})
            return state.statement, _processed(
                state.positional_parameters,
                [state.processors.get(n) for n in state.positiontup or ()],
            )
        given = [values[name] if name in values else self._defaults[name] for name in self._names]
        return self.sql, _processed(given, self._processors)

    async def fetch(self, connection: Any, values: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        sql, arguments = self.bound(values)
        records = await connection.fetch(sql, *arguments)
        return [self._row(record) for record in records]

    async def fetchrow(self, connection: Any, values: Mapping[str, Any]) -> Any:
        """The first row (or None), as the driver gave it."""
        sql, arguments = self.bound(values)
        return await connection.fetchrow(sql, *arguments)

    def _row(self, record: Sequence[Any]) -> tuple[Any, ...]:
        return tuple(
            value if process is None or value is None else process(value)
            for value, process in zip(record, self._results, strict=True)
        )


def _processed(values: Sequence[Any], processors: Sequence[Any]) -> list[Any]:
    return [
        value if process is None else process(value)
        for value, process in zip(values, processors, strict=True)
    ]


_compiled_once: dict[tuple[int, str], tuple[Executable, DriverStatement]] = {}


def driver_statement(statement: Executable, dialect: Dialect) -> DriverStatement:
    """The compiled form of a long-lived statement (a module's constant), made once."""
    key = (id(statement), dialect.name)
    known = _compiled_once.get(key)
    if known is None or known[0] is not statement:
        known = _compiled_once[key] = (statement, DriverStatement(statement, dialect))
    return known[1]


def session_reader(session: AsyncSession) -> RowReader:
    async def read(statement: Executable, values: Mapping[str, Any]) -> Rows:
        result = await session.execute(statement, dict(values))
        return [tuple(row) for row in result.all()]

    return read


def driver_reader(connection: Any, dialect: Dialect) -> RowReader:
    async def read(statement: Executable, values: Mapping[str, Any]) -> Rows:
        return await driver_statement(statement, dialect).fetch(connection, values)

    return read


class FairGate:
    """At most `size` holders at once, the others served strictly in the order they came: a
    permit given back goes straight to the first waiter. (A pool's asyncio queue lets a
    newcomer take a connection returned while a woken waiter is on its way, and the waiter
    queues again at the back: under load, a few requests waited hundreds of milliseconds.)"""

    def __init__(self, size: int) -> None:
        self._free = size
        self._waiters: deque[asyncio.Future[None]] = deque()

    async def __aenter__(self) -> None:
        if self._free and not self._waiters:
            self._free -= 1
            return
        permit = asyncio.get_running_loop().create_future()
        self._waiters.append(permit)
        try:
            await permit
        except asyncio.CancelledError:
            if permit.done() and not permit.cancelled():
                self._release()  # handed over as we were cancelled: pass it on
            else:
                self._waiters.remove(permit)
            raise

    async def __aexit__(self, *_exc: object) -> None:
        self._release()

    def _release(self) -> None:
        while self._waiters:
            permit = self._waiters.popleft()
            if not permit.done():
                permit.set_result(None)
                return
        self._free += 1


class LoggedQuery:
    def __init__(self, query: str) -> None:
        self.query = query


class SQLiteConnection:
    """An aiosqlite connection answering asyncpg's `fetch` and `fetchrow`, as DriverStatement
    calls them. The connection is in autocommit (hub/infrastructure/db.py): each statement is its
    own transaction, as on PostgreSQL. Query loggers as asyncpg's (for the tests' counts)."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.prepared = False  # the caller's functions registered (driver_connection)
        self._loggers: list[Callable[[LoggedQuery], None]] = []

    async def fetch(self, sql: str, *arguments: Any) -> list[tuple[Any, ...]]:
        self._logged(sql)
        async with self.connection.execute(sql, arguments) as cursor:
            return list(await cursor.fetchall())

    async def fetchrow(self, sql: str, *arguments: Any) -> tuple[Any, ...] | None:
        self._logged(sql)
        async with self.connection.execute(sql, arguments) as cursor:
            return await cursor.fetchone()  # type: ignore[no-any-return]

    def add_query_logger(self, callback: Callable[[LoggedQuery], None]) -> None:
        self._loggers.append(callback)

    def remove_query_logger(self, callback: Callable[[LoggedQuery], None]) -> None:
        self._loggers.remove(callback)

    def _logged(self, sql: str) -> None:
        for callback in list(self._loggers):
            callback(LoggedQuery(sql))


_sqlite_connections: weakref.WeakKeyDictionary[Any, SQLiteConnection] = weakref.WeakKeyDictionary()


def sqlite_connection(connection: Any) -> SQLiteConnection:
    """The wrapper of an aiosqlite connection, one per connection for its life."""
    wrapped = _sqlite_connections.get(connection)
    if wrapped is None:
        wrapped = _sqlite_connections[connection] = SQLiteConnection(connection)
    return wrapped


_gates: weakref.WeakKeyDictionary[Engine, FairGate] = weakref.WeakKeyDictionary()


@asynccontextmanager
async def driver_connection(
    engine: AsyncEngine, prepare: Callable[[Any], Awaitable[None]] | None = None
) -> AsyncIterator[Any]:
    """A connection from the engine's own pool, as the driver's object (asyncpg's
    Connection, or SQLiteConnection), given back when done; one that broke on the way is
    discarded. Callers take their turn in arrival order (FairGate, as many permits as the pool
    has connections). `prepare` is run once on each SQLite connection before its first use
    (it registers the functions SQLite lacks).

    Behind a transaction pooler (PgBouncer), a statement run here outside a transaction is
    still safe: asyncpg ends its Parse and Describe with Flush, not Sync, so the statement's
    prepare, bind and execution are one exchange ending at one Sync, which PgBouncer keeps on
    one server connection (tests/deployment/test_pgbouncer.py, on two server connections)."""
    gate = _gates.get(engine.sync_engine)
    if gate is None:
        size = getattr(engine.pool, "size", lambda: 5)()
        gate = _gates[engine.sync_engine] = FairGate(size)
    async with gate:
        pooled = await engine.raw_connection()
        driver = pooled.driver_connection
        try:
            if engine.dialect.name == "sqlite":
                driver = sqlite_connection(driver)
                if prepare is not None and not driver.prepared:
                    await prepare(driver.connection)
                    driver.prepared = True
            yield driver
        except BaseException as error:
            if not is_connection_error(error):
                raise
            await _renew_pool(engine, pooled)
            raise ConnectionLost(str(error)) from error
        finally:
            if _closed(driver):
                # It broke on the way and the caller dealt with the error itself (asyncpg's
                # ConnectionDoesNotExistError is also a PostgresError): never back to the pool.
                await _renew_pool(engine, pooled)
            # Nothing was begun on it, so the pool's reset on return has nothing to roll back.
            await greenlet_spawn(pooled.close)


async def _renew_pool(engine: AsyncEngine, pooled: Any) -> None:
    """The server went away (a restart, a failover): its other connections in the pool are as
    dead as this one, so all are dropped, as SQLAlchemy does on its own path."""
    if pooled.dbapi_connection is not None:
        await greenlet_spawn(pooled.invalidate)
        await engine.dispose()


def _closed(driver: Any) -> bool:
    return isinstance(driver, asyncpg.Connection) and driver.is_closed()


class ConnectionLost(Exception):
    """The database connection broke during a driver statement; the pool has been renewed."""


def is_connection_error(error: BaseException) -> bool:
    """Whether the error means the connection itself is gone (not the statement's fault).

    ConnectionDoesNotExistError (the server ended the connection mid-statement, as
    pg_terminate_backend does) is a PostgresError too: callers that handle statement errors
    ask this first."""
    # InternalClientError: the driver lost track of the protocol's state (as when the server
    # ends the connection mid-exchange); such a connection is not to be used again either.
    return isinstance(
        error,
        OSError
        | asyncpg.exceptions.PostgresConnectionError
        | asyncpg.exceptions.AdminShutdownError
        | asyncpg.exceptions.CrashShutdownError
        | asyncpg.InterfaceError
        | asyncpg.exceptions.InternalClientError,
    )

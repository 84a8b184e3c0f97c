"""Statements run straight on the database driver's connection, for the compiled read path.

SQLAlchemy builds and compiles each statement once; a request then pays only the driver's
round trip: no ORM session, no transaction control (each statement is its own transaction),
no pool ping. PostgreSQL only (asyncpg), where that path runs.

Code that both paths share (the viewer's lookup, the budget's charge) reads rows through a
`RowReader`, made from a session or from a driver connection: one statement, two ways to run it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import Dialect
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


@asynccontextmanager
async def driver_connection(engine: AsyncEngine) -> AsyncIterator[Any]:
    """A connection from the engine's own pool, as the driver's object (asyncpg's
    Connection), given back when done; one that broke on the way is discarded."""
    pooled = await engine.raw_connection()
    try:
        yield pooled.driver_connection
    except BaseException as error:
        if _is_connection_error(error):
            await greenlet_spawn(pooled.invalidate)
        raise
    finally:
        # Nothing was begun on it, so the pool's reset on return has nothing to roll back.
        await greenlet_spawn(pooled.close)


def _is_connection_error(error: BaseException) -> bool:
    import asyncpg

    return isinstance(
        error,
        OSError | asyncpg.exceptions.ConnectionDoesNotExistError | asyncpg.InterfaceError,
    )

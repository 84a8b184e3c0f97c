"""Recording the SQL statements a hub's engine runs, whichever way they go: those SQLAlchemy
executes (its cursor events), and those the compiled read path sends straight through asyncpg
or aiosqlite (hub/infrastructure/driver.py), seen by their query loggers. Transaction control and
pings apart."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from hub.infrastructure.driver import sqlite_connection

NOT_STATEMENTS = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", ";")


@contextmanager
def recorded_statements(engine: AsyncEngine, record: Callable[[str], None]) -> Iterator[None]:
    sync_engine = engine.sync_engine
    hooked: list[Any] = []

    def on_cursor(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        record(statement)

    def on_driver_query(logged: Any) -> None:
        if not logged.query.lstrip().upper().startswith(NOT_STATEMENTS):
            record(logged.query)

    def on_checkout(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        driver = getattr(dbapi_connection, "driver_connection", None)
        if driver is not None and sync_engine.dialect.name == "sqlite":
            driver = sqlite_connection(driver)  # the compiled path's way to aiosqlite
        if hasattr(driver, "add_query_logger") and driver not in hooked:
            driver.add_query_logger(on_driver_query)
            hooked.append(driver)

    event.listen(sync_engine, "before_cursor_execute", on_cursor)
    event.listen(sync_engine, "checkout", on_checkout)
    try:
        yield
    finally:
        event.remove(sync_engine, "before_cursor_execute", on_cursor)
        event.remove(sync_engine, "checkout", on_checkout)
        for driver in hooked:
            driver.remove_query_logger(on_driver_query)


async def driver_queries_logged() -> None:
    """asyncpg calls its query loggers soon after a query, not during it: one turn of the
    event loop lets them run before a test reads what was recorded."""
    await asyncio.sleep(0)

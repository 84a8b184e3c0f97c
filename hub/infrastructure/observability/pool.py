"""The connection pool seen from Prometheus: checkouts, connections in use, and how long a
checkout waited for a connection (when all of a process's connections are busy, requests queue
here, not in PostgreSQL or PgBouncer)."""

from __future__ import annotations

import time
from functools import cache
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import AsyncAdaptedQueuePool, ConnectionPoolEntry

from hub.infrastructure.observability.metrics import POOL_CHECKOUTS, POOL_IN_USE, POOL_WAIT


class _TimedCheckouts(AsyncAdaptedQueuePool):
    """SQLAlchemy's pool events fire once a connection is handed out, none when a checkout
    begins to wait: the wait is timed around the pool's own `_do_get`. (A subclass, not a
    wrapper, so that the pool's recreation on dispose keeps it.)"""

    database_label = "primary"

    def _do_get(self) -> ConnectionPoolEntry:
        started = time.perf_counter()
        try:
            return super()._do_get()
        finally:
            POOL_WAIT.labels(database=self.database_label).observe(time.perf_counter() - started)


@cache
def _timed_for(database: str) -> type[_TimedCheckouts]:
    return type(f"TimedCheckouts[{database}]", (_TimedCheckouts,), {"database_label": database})


def observe_pool(engine: AsyncEngine, database: str) -> None:
    """Counts `engine`'s checkouts and connections in use under `database` (primary, replica),
    and times its waits."""
    pool = engine.sync_engine.pool
    if type(pool) is AsyncAdaptedQueuePool:
        pool.__class__ = _timed_for(database)
    checkouts, in_use = POOL_CHECKOUTS.labels(database=database), POOL_IN_USE.labels(database)

    @event.listens_for(pool, "checkout")
    def on_checkout(*_: Any) -> None:
        checkouts.inc()
        in_use.inc()

    @event.listens_for(pool, "checkin")
    def on_checkin(*_: Any) -> None:
        in_use.dec()

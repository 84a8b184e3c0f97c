"""Alembic environment: runs against HUB_DATABASE_URL, or a connection handed in by the hub."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import text
from sqlalchemy.engine import Connection

from hub.infrastructure.config import Settings
from hub.infrastructure.db import create_engine
from hub.infrastructure.models import Base

target_metadata = Base.metadata

# Every `hub migrate` against one PostgreSQL database waits on this advisory lock (any fixed
# number would do: this one spells "hub-migr").
MIGRATION_LOCK_KEY = 0x6875622D6D696772


def run_with_connection(connection: Connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        _sqlite_foreign_keys(connection, enforced=False)
    try:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=sqlite,
            compare_type=True,
            # One transaction for the whole upgrade on SQLite too: the hub's engine leaves
            # transactions to SQLAlchemy (BEGIN IMMEDIATE, hub.infrastructure.db), so SQLite's DDL
            # is transactional, and that transaction holds the file's write lock throughout.
            transactional_ddl=True,
        )
        with context.begin_transaction():
            _wait_for_other_migrations(connection)
            context.run_migrations()
    finally:
        if sqlite:
            _sqlite_foreign_keys(connection, enforced=True)


def _wait_for_other_migrations(connection: Connection) -> None:
    """Several processes may migrate at once (several hosts deploying together): each waits
    here, before reading the version table, until the one migrating has committed, then finds
    the schema current. On PostgreSQL a transaction-level advisory lock, released by the
    commit, so it holds through PgBouncer in transaction pooling mode too (a session-level
    lock would stay with a server connection the pooler hands to others). On SQLite the
    transaction began IMMEDIATE, which already holds the file's write lock."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})


def _sqlite_foreign_keys(connection: Connection, *, enforced: bool) -> None:
    """SQLite rebuilds a table (batch mode) by copying it and dropping the old one; with
    foreign keys enforced, that drop would cascade its deletes into every table referring to
    it. The pragma only takes effect outside a transaction: hence the driver's own cursor,
    since SQLAlchemy's would begin one."""
    cursor = connection.connection.cursor()
    cursor.execute(f"PRAGMA foreign_keys={'ON' if enforced else 'OFF'}")
    cursor.close()


async def run_with_own_engine(url: str) -> None:
    pooled = Settings.from_env().database_pooler == "transaction"
    engine = create_engine(url, transaction_pooler=pooled)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(run_with_connection)
            await connection.commit()
    finally:
        # Also when a migration refuses: else its connection is left to the garbage collector.
        await engine.dispose()


def run_offline(url: str) -> None:
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    handed_in = context.config.attributes.get("connection")
    url = context.config.attributes.get("url") or Settings.from_env().database_url
    if handed_in is not None:
        run_with_connection(handed_in)
    elif context.is_offline_mode():
        run_offline(url)
    else:
        asyncio.run(run_with_own_engine(url))


main()

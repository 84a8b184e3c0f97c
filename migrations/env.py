"""Alembic environment: runs against HUB_DATABASE_URL, or a connection handed in by the hub."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from hub.config import Settings
from hub.db import create_engine
from hub.models import Base

target_metadata = Base.metadata


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
        )
        with context.begin_transaction():
            context.run_migrations()
    finally:
        if sqlite:
            _sqlite_foreign_keys(connection, enforced=True)


def _sqlite_foreign_keys(connection: Connection, *, enforced: bool) -> None:
    """SQLite rebuilds a table (batch mode) by copying it and dropping the old one; with
    foreign keys enforced, that drop would cascade its deletes into every table referring to
    it. The pragma only takes effect outside a transaction: hence the driver's own cursor,
    since SQLAlchemy's would begin one."""
    cursor = connection.connection.cursor()
    cursor.execute(f"PRAGMA foreign_keys={'ON' if enforced else 'OFF'}")
    cursor.close()


async def run_with_own_engine(url: str) -> None:
    engine = create_engine(url)
    async with engine.connect() as connection:
        await connection.run_sync(run_with_connection)
        await connection.commit()
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

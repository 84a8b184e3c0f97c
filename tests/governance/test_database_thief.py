"""The thief's copy of the SQLite file must not disturb the suite's live database."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.governance.database_thief import steal

CLOSE_FROM_ANOTHER_PROCESS = (
    "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
    "c.execute('SELECT count(*) FROM sqlite_master').fetchall(); c.close()"
)


async def test_stealing_a_copy_leaves_the_live_wal_to_its_users(database_url, runtime, session):
    if not database_url.startswith("sqlite"):
        pytest.skip("a PostgreSQL theft is a read through a connection of its own")
    live = Path(database_url.split("///", 1)[1])
    # Given connections of this process with the database open (its WAL in use)
    async with runtime.engine.connect() as connection:
        await connection.execute(text("SELECT 1 FROM people"))

        # When the thief copies the file, and then another process opens and closes it
        await steal(database_url)
        other = await asyncio.create_subprocess_exec(
            sys.executable, "-c", CLOSE_FROM_ANOTHER_PROCESS, str(live)
        )
        assert await other.wait() == 0

        # Then that process did not take itself for the last user: the WAL is still there
        assert live.with_name(live.name + "-wal").exists()
        assert live.with_name(live.name + "-shm").exists()

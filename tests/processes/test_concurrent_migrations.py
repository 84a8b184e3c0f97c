"""`hub migrate` started by several processes at once, as several hosts deploying together
do: each waits for the one migrating, then finds the schema current."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

from hub.models import Base
from tests.infrastructure.served import newcomer_env
from tests.test_migrations import _differences, _tables

PROCESSES = 5


def test_five_migrates_started_at_once_on_an_empty_database_all_succeed(
    empty_database: str, tmp_path: Path
) -> None:
    # Given an empty database, when five `hub migrate` start at the same moment
    env = newcomer_env(HUB_DATABASE_URL=empty_database)
    started = [
        subprocess.Popen(
            [sys.executable, "-m", "hub", "migrate"],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(PROCESSES)
    ]
    finished = [process.communicate(timeout=120) for process in started]

    # Then every one of them succeeded, and the schema is exactly the models'
    codes = [process.returncode for process in started]
    assert codes == [0] * PROCESSES, [err for _, err in finished]
    assert [out for out, _ in finished] == ["The database is at the newest schema.\n"] * PROCESSES
    assert asyncio.run(_differences(empty_database)) == []
    assert asyncio.run(_tables(empty_database)) == set(Base.metadata.tables)

"""`hub migrate` started by several processes at once, as several hosts deploying together
do: each waits for the one migrating, then finds the schema current."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest

from hub.infrastructure.models import Base
from tests.infrastructure.pgbouncer import pgbouncer
from tests.infrastructure.served import newcomer_env
from tests.test_migrations import _differences, _tables

PROCESSES = 5


def migrate_at_once(env: dict[str, str], cwd: Path) -> list[tuple[int, str, str]]:
    """`hub migrate`, five times started at the same moment: exit code, stdout, stderr."""
    started = [
        subprocess.Popen(
            [sys.executable, "-m", "hub", "migrate"],
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(PROCESSES)
    ]
    finished = [process.communicate(timeout=120) for process in started]
    return [(p.returncode, out, err) for p, (out, err) in zip(started, finished, strict=True)]


def assert_all_succeeded(results: list[tuple[int, str, str]]) -> None:
    assert [code for code, _, _ in results] == [0] * PROCESSES, [err for _, _, err in results]
    assert [out for _, out, _ in results] == ["The database is at the newest schema.\n"] * PROCESSES


def test_five_migrates_started_at_once_on_an_empty_database_all_succeed(
    empty_database: str, tmp_path: Path
) -> None:
    # Given an empty database, when five `hub migrate` start at the same moment
    results = migrate_at_once(newcomer_env(HUB_DATABASE_URL=empty_database), tmp_path)

    # Then every one of them succeeded, and the schema is exactly the models'
    assert_all_succeeded(results)
    assert asyncio.run(_differences(empty_database)) == []
    assert asyncio.run(_tables(empty_database)) == set(Base.metadata.tables)


def test_five_migrates_at_once_through_pgbouncer_in_transaction_mode_all_succeed(
    empty_database: str, tmp_path: Path
) -> None:
    if not empty_database.startswith("postgresql"):
        pytest.skip("PgBouncer pools PostgreSQL connections")
    # Given an empty database behind a PgBouncer in transaction pooling mode, which hands
    # each transaction whichever server connection is free
    with pgbouncer(empty_database, pool_size=2) as bouncer:
        env = newcomer_env(
            HUB_DATABASE_URL=bouncer.url_for(empty_database), HUB_DATABASE_POOLER="transaction"
        )

        # When five `hub migrate` start through it at the same moment
        results = migrate_at_once(env, tmp_path)

    # Then every one succeeded (the lock is the migration transaction's own), and the schema
    # is exactly the models'
    assert_all_succeeded(results)
    assert asyncio.run(_differences(empty_database)) == []
    assert asyncio.run(_tables(empty_database)) == set(Base.metadata.tables)

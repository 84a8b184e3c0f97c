"""`python -m tests`, the README's test command, never destroys data on the PostgreSQL it
is pointed at: it makes databases of its own there and drops them afterwards."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest

from tests.infrastructure.browser import BROWSERS_IN_THE_SQLITE_PASS
from tests.infrastructure.postgres import (
    DEFAULT_URL,
    answers,
    plain_url,
    postgres_server,
    scratch_database,
    server_binaries,
)

pytestmark = pytest.mark.database_independent

REPOSITORY = Path(__file__).resolve().parents[1]
# A small selection that opens the shared test database (and so, before, emptied it).
SELECTION = "tests/web/test_health.py::test_alive_and_ready_when_the_database_answers_at_head"


@pytest.fixture
def database_with_a_table() -> Iterator[str]:
    """A database of our own standing in for someone's `test` database, holding a table."""
    server = os.environ.get("HUB_TEST_POSTGRES_URL", DEFAULT_URL)
    if not answers(server):
        pytest.skip("no PostgreSQL answers")
    with scratch_database(server, prefix="hub_keep") as url:
        asyncio.run(_execute(url, "CREATE TABLE precious (id int PRIMARY KEY, note text)"))
        asyncio.run(_execute(url, "INSERT INTO precious VALUES (1, 'keep me'), (2, 'me too')"))
        yield url


async def _execute(url: str, statement: str) -> list[asyncpg.Record]:
    connection = await asyncpg.connect(plain_url(url))
    try:
        return await connection.fetch(statement)
    finally:
        await connection.close()


def run_the_test_command(postgres_url: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "HUB_TEST_DATABASE_URL"}
    env["HUB_TEST_POSTGRES_URL"] = postgres_url
    # One process a pass: two would each start the app for the one test selected.
    env["HUB_TEST_WORKERS"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "tests", "--", SELECTION, "-q", "-p", "no:cacheprovider"],
        cwd=REPOSITORY,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_running_the_suite_twice_leaves_an_existing_database_as_it_was(database_with_a_table):
    first = run_the_test_command(database_with_a_table)
    second = run_the_test_command(database_with_a_table)

    assert first.returncode == 0, first.stdout + first.stderr
    assert second.returncode == 0, second.stdout + second.stderr
    assert "SQLite: passed, PostgreSQL: passed" in second.stdout
    rows = asyncio.run(_execute(database_with_a_table, "SELECT id, note FROM precious ORDER BY id"))
    assert [tuple(row) for row in rows] == [(1, "keep me"), (2, "me too")]


def test_a_scratch_database_is_gone_once_left(database_with_a_table):
    name = f"hub_probe_{uuid.uuid4().hex[:8]}"
    with scratch_database(database_with_a_table, prefix=name) as url:
        created = url.rsplit("/", 1)[-1]
        assert answers(url)

    listed = asyncio.run(
        _execute(database_with_a_table, f"SELECT 1 FROM pg_database WHERE datname = '{created}'")
    )
    assert created.startswith(name)
    assert listed == []


def _nothing_listening() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"postgresql+asyncpg://postgres@127.0.0.1:{port}/test"


def test_without_a_server_and_not_required_the_postgres_run_is_skipped():
    with postgres_server(_nothing_listening(), may_start=False) as found:
        assert found is None


def test_a_required_server_is_a_throwaway_cluster_in_a_temporary_folder():
    if server_binaries() is None:
        pytest.skip("no PostgreSQL server binaries installed")
    system_hba = {path: path.read_bytes() for path in Path("/etc/postgresql").glob("*/*/*.conf")}

    with postgres_server(_nothing_listening(), may_start=True) as started:
        assert started is not None
        with scratch_database(started) as url:
            rows = asyncio.run(_execute(url, "SELECT current_setting('data_directory') AS d"))
        folder = Path(rows[0]["d"]).parent
        assert folder.parent == Path(tempfile.gettempdir())
        assert folder.name.startswith("hub-postgres-")

    assert not answers(started)
    assert not folder.exists()
    assert {path: path.read_bytes() for path in system_hba} == system_hba


def test_the_postgresql_pass_leaves_the_browser_tests_to_the_sqlite_pass():
    """With the flag `python -m tests` gives its PostgreSQL pass, a test that drives Chromium is
    skipped there (it runs in the SQLite pass) and a page test over plain HTTP still runs."""
    server = os.environ.get("HUB_TEST_POSTGRES_URL", DEFAULT_URL)
    if not answers(server):
        pytest.skip("no PostgreSQL answers")
    browser = (
        "tests/frontend/test_manage_menu.py::"
        "test_a_host_contact_reaches_their_convening_and_a_member_sees_no_menu"
    )
    over_http = "tests/frontend/test_manage.py::test_a_signed_out_visitor_is_asked_to_sign_in"
    env = {
        **os.environ,
        "HUB_TEST_DATABASE_URL": server,
        BROWSERS_IN_THE_SQLITE_PASS: "1",
    }
    ran = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:randomly", "-n", "0", "-rs", browser, over_http],
        cwd=REPOSITORY,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert ran.returncode == 0, ran.stdout[-3000:]
    assert "1 passed, 1 skipped" in ran.stdout
    assert "a browser test: run in the SQLite pass" in ran.stdout

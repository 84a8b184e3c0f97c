"""`hub serve` and `hub worker` run only on a database migrated to this code's schema: on an
empty one, or one behind, they refuse in one line naming `hub migrate`; `/readyz` says the
same to a load balancer."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from alembic import command
from sqlalchemy import text

from hub.app import create_app
from hub.infrastructure.config import Settings
from hub.infrastructure.db import create_engine
from hub.infrastructure.migrate import alembic_config, code_heads, upgrade_to_head
from tests.infrastructure.served import free_port, newcomer_env

SECRET = "k" * 48
COMMANDS = {
    "serve": ["serve", "--port", str(free_port())],
    "worker": ["worker", "--poll-seconds", "0.1"],
}


def refusals(database_url: str, cwd: Path) -> dict[str, subprocess.CompletedProcess[str]]:
    """Each command started on the database, at once; one still running after a while
    fails the test (it served instead of refusing)."""
    env = newcomer_env(HUB_DATABASE_URL=database_url, HUB_SECRET_KEY=SECRET)
    started = {
        name: subprocess.Popen(
            [sys.executable, "-m", "hub", *args],
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, args in COMMANDS.items()
    }
    finished = {}
    for name, process in started.items():
        try:
            out, err = process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            for running in started.values():
                running.kill()
                running.communicate()
            raise AssertionError(f"`hub {name}` kept running instead of refusing") from None
        finished[name] = subprocess.CompletedProcess(process.args, process.returncode, out, err)
    return finished


def assert_refused_in_one_line(
    results: dict[str, subprocess.CompletedProcess[str]], line: str
) -> None:
    assert {name: r.returncode for name, r in results.items()} == {"serve": 1, "worker": 1}
    assert {name: r.stderr for name, r in results.items()} == {
        "serve": line + "\n",
        "worker": line + "\n",
    }


def test_serve_and_worker_refuse_an_empty_database(empty_database, tmp_path):
    results = refusals(empty_database, tmp_path)

    assert_refused_in_one_line(
        results, "Error: the database has no schema yet. Run `hub migrate` first."
    )


@pytest.fixture
def database_behind(empty_database: str) -> tuple[str, str]:
    """A database one migration behind the code's head, and the revision it is at."""
    upgrade_to_head(empty_database)
    config = alembic_config(empty_database)
    command.downgrade(config, "-1")
    from alembic.script import ScriptDirectory

    (head,) = code_heads()
    behind = ScriptDirectory.from_config(config).get_revision(head).down_revision
    assert isinstance(behind, str)
    return empty_database, behind


def test_serve_and_worker_refuse_a_database_behind_the_code(database_behind, tmp_path):
    url, behind = database_behind
    (head,) = code_heads()

    results = refusals(url, tmp_path)

    assert_refused_in_one_line(
        results,
        f"Error: the database's schema ({behind}) is behind this hub's ({head}). "
        "Run `hub migrate` first.",
    )


async def test_readyz_says_a_database_behind_the_code_wants_migrating(database_behind):
    url, _ = database_behind
    app = create_app(Settings(database_url=url, secret_key=SECRET))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as client:
            alive = await client.get("/healthz")
            ready = await client.get("/readyz")

    assert alive.status_code == 200
    assert ready.status_code == 503
    assert ready.json() == {
        "status": "unavailable",
        "database": "ok",
        "cause": "the schema is behind: run `hub migrate`",
        "schema": "behind",
    }


async def _stamp_unknown_revision(url: str) -> None:
    engine = create_engine(url)
    async with engine.begin() as connection:
        await connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    await engine.dispose()


@pytest.fixture
def database_ahead(empty_database: str) -> str:
    """A database at a revision this code does not know: a newer release migrated it."""
    upgrade_to_head(empty_database)
    asyncio.run(_stamp_unknown_revision(empty_database))
    return empty_database


async def test_readyz_is_ready_on_a_database_ahead_of_the_code(database_ahead):
    # Given a database a newer release migrated (mid-deploy), when a load balancer asks
    app = create_app(Settings(database_url=database_ahead, secret_key=SECRET))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as client:
            ready = await client.get("/readyz")

    # Then this hub is ready: a rolling deploy keeps the older processes serving until they
    # are replaced
    assert (ready.status_code, ready.json()) == (
        200,
        {"status": "ok", "database": "ok", "schema": "ahead"},
    )

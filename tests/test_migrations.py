"""The Alembic history builds exactly the models' schema, and can be walked back down."""

from __future__ import annotations

import asyncio
import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from hub.infrastructure.db import create_engine
from hub.infrastructure.migrate import alembic_config, upgrade_to_head
from hub.infrastructure.models import Base
from tests.infrastructure.postgres import scratch_database


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[str]:
    """A database of its own, apart from the one the other tests share."""
    shared = os.environ.get("HUB_TEST_DATABASE_URL")
    if not shared or not shared.startswith("postgresql"):
        yield f"sqlite+aiosqlite:///{tmp_path / 'migrations.db'}"
        return
    with scratch_database(shared, prefix="hub_migrations") as url:
        yield url


async def _differences(url: str) -> list[object]:
    engine = create_engine(url)
    async with engine.connect() as connection:
        diffs = await connection.run_sync(
            lambda sync: compare_metadata(
                MigrationContext.configure(sync, opts={"compare_type": True}), Base.metadata
            )
        )
    await engine.dispose()
    return list(diffs)


async def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    async with engine.connect() as connection:
        names = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
    await engine.dispose()
    return set(names) - {"alembic_version"}


def test_there_is_one_head():
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))

    assert len(script.get_heads()) == 1


def test_upgrading_builds_the_models_schema_exactly(empty_database):
    upgrade_to_head(empty_database)

    assert asyncio.run(_differences(empty_database)) == []
    assert asyncio.run(_tables(empty_database)) == set(Base.metadata.tables)


def test_downgrading_removes_everything_and_upgrading_again_works(empty_database):
    config = alembic_config(empty_database)
    upgrade_to_head(empty_database)

    command.downgrade(config, "base")
    emptied = asyncio.run(_tables(empty_database))
    upgrade_to_head(empty_database)

    assert emptied == set()
    assert asyncio.run(_tables(empty_database)) == set(Base.metadata.tables)


async def _sqlite_definitions(url: str) -> dict[str, str]:
    engine = create_engine(url)
    async with engine.connect() as connection:
        rows = await connection.execute(
            text("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
        )
        definitions = {name: sql for name, sql in rows}
    await engine.dispose()
    return definitions


def test_on_sqlite_every_integer_key_is_autoincrement_after_upgrading(empty_database):
    if not empty_database.startswith("sqlite"):
        pytest.skip("PostgreSQL's sequences never reuse an id: nothing to rebuild")
    upgrade_to_head(empty_database)

    definitions = asyncio.run(_sqlite_definitions(empty_database))

    keyed = [
        t.name
        for t in Base.metadata.sorted_tables
        if [c.type.python_type for c in t.primary_key.columns] == [int]
    ]
    assert "people" in keyed
    assert [name for name in keyed if "AUTOINCREMENT" not in definitions[name]] == []


ROWS_AT_0001 = [
    "INSERT INTO organizations (id, slug, name, kind, sector, counties, description) "
    "VALUES (1, 'org', 'Org', 'MEMBER', 'LABOR', '[]', '')",
    "INSERT INTO people (id, name, email, preferred_language, is_admin) "
    "VALUES (1, 'Ana', 'ana@example.org', 'en', 0), (2, 'Bo', 'bo@example.org', 'en', 0)",
    "INSERT INTO affiliations (id, person_id, organization_id, role) "
    "VALUES (1, 1, 1, 'MEMBER'), (2, 2, 1, 'CONTACT')",
    "INSERT INTO proposals (id, title, summary, body, status, ballot, closed_at) "
    "VALUES (1, 'Closed', '', '', 'ADOPTED', 'SECRET', '2026-01-01 00:00:00')",
    "INSERT INTO secret_ballots (proposal_id, ballot_key, choice) VALUES (1, 'ab', 'YES')",
]


def _sqlite_file(url: str) -> sqlite3.Connection:
    return sqlite3.connect(url.split("///", 1)[1])


def test_on_sqlite_the_rebuild_keeps_every_row_and_then_never_reuses_an_id(empty_database):
    if not empty_database.startswith("sqlite"):
        pytest.skip("SQLite's rebuild only")
    # Given a database at 0001 holding people, their affiliations and a closed secret ballot
    command.upgrade(alembic_config(empty_database), "0001")
    with closing(_sqlite_file(empty_database)) as database, database:
        for statement in ROWS_AT_0001:
            database.execute(statement)

    # When it is upgraded, and the newest person is deleted and another created
    upgrade_to_head(empty_database)
    with closing(_sqlite_file(empty_database)) as database, database:
        affiliations = database.execute("SELECT id, person_id FROM affiliations").fetchall()
        tables = {n for (n,) in database.execute("SELECT name FROM sqlite_master")}
        database.execute("DELETE FROM people WHERE id = 2")
        database.execute(
            "INSERT INTO people (name, email, preferred_language, is_admin) "
            "VALUES ('Cy', 'cy@example.org', 'en', 0)"
        )
        newest = database.execute("SELECT max(id) FROM people").fetchone()

    # Then no row was lost to the rebuild (no cascade), the closed ballot's choices are gone
    # with their table, and the new person has an id never used before
    assert affiliations == [(1, 1), (2, 2)]
    assert "secret_ballots" not in tables
    assert newest == (3,)


def test_an_open_secret_ballot_stops_the_upgrade_and_nothing_changes(empty_database):
    # Given a database at 0002 with a secret ballot still open
    config = alembic_config(empty_database)
    command.upgrade(config, "0002")
    asyncio.run(_execute(empty_database, ROWS_AT_0001[3].replace("'2026-01-01 00:00:00'", "NULL")))
    asyncio.run(_execute(empty_database, ROWS_AT_0001[4]))

    # When the upgrade runs, then it refuses, saying why, and the ballot's row is still there
    with pytest.raises(RuntimeError, match="secret ballots are still open"):
        upgrade_to_head(empty_database)
    assert "secret_ballots" in asyncio.run(_tables(empty_database))
    assert "sealed_choice" not in asyncio.run(_columns(empty_database, "votes"))


async def _columns(url: str, table: str) -> list[str]:
    engine = create_engine(url)
    async with engine.connect() as connection:
        columns = await connection.run_sync(lambda sync: inspect(sync).get_columns(table))
    await engine.dispose()
    return [column["name"] for column in columns]


async def _execute(url: str, statement: str) -> None:
    engine = create_engine(url)
    async with engine.begin() as connection:
        await connection.execute(text(statement))
    await engine.dispose()

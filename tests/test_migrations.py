"""The Alembic history builds exactly the models' schema, and can be walked back down."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from hub.db import create_engine
from hub.migrate import alembic_config, upgrade_to_head
from hub.models import Base
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

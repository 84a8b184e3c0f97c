"""Migration 0011 folds the names already in the directory: a search finds people and
organizations added before it, on SQLite and PostgreSQL; walking back down drops the columns."""

from __future__ import annotations

import asyncio

from alembic import command
from sqlalchemy import text

from hub.infrastructure.db import create_engine
from hub.infrastructure.migrate import alembic_config, upgrade_to_head
from tests.test_migrations import empty_database  # noqa: F401  (the fixture)

ROWS_AT_0010 = [
    "INSERT INTO organizations (id, slug, name, kind, sector, counties, description) "
    "VALUES (1, 'union', 'Unión Muñoz', 'MEMBER', 'LABOR', '[]', '')",
    "INSERT INTO people (id, name, email, preferred_language, is_admin) "
    "VALUES (1, 'María ÁLVAREZ', 'ana@example.org', 'en', false)",
]


async def _run(url: str, *statements: str) -> list[tuple[object, ...]]:
    engine = create_engine(url)
    rows: list[tuple[object, ...]] = []
    async with engine.begin() as connection:
        for statement in statements:
            result = await connection.execute(text(statement))
            if result.returns_rows:
                rows.extend(tuple(row) for row in result)
    await engine.dispose()
    return rows


def test_the_upgrade_backfills_the_folded_names_and_the_downgrade_drops_them(empty_database):  # noqa: F811
    config = alembic_config(empty_database)
    command.upgrade(config, "0010")
    asyncio.run(_run(empty_database, *ROWS_AT_0010))

    upgrade_to_head(empty_database)
    folded = asyncio.run(
        _run(
            empty_database,
            "SELECT search_text, archived_at FROM organizations",
            "SELECT search_text, removed_at FROM people",
        )
    )
    command.downgrade(config, "0010")
    columns = asyncio.run(_run(empty_database, "SELECT * FROM people"))

    assert folded == [("union munoz", None), ("maria alvarez", None)]
    assert len(columns[0]) == 8  # the columns of 0010: id … updated_at, without the new two

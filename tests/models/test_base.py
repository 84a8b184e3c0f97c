"""Ids are never given twice: a deleted row's id never comes back for a new row (SQLite's
AUTOINCREMENT; PostgreSQL's sequences never reuse), so nothing that names an old id (a token,
a link, a cached page) can ever reach the row created after it."""

from __future__ import annotations

import pytest
from sqlalchemy import Integer, text

from hub.infrastructure.models import Base
from tests.factories import create_person

VIEWER = "{ viewer { id name } }"


async def test_a_deleted_persons_token_never_signs_in_as_the_next_person(session, gql):
    # Given a person with a token, who is then deleted
    first = await create_person(session)
    await session.commit()
    token = gql.token_for(first)
    first_id = first.id
    await session.delete(first)
    await session.commit()

    # When another person is created, and the old token is used
    second = await create_person(session)
    await session.commit()
    response = await gql.post(VIEWER, token=token)

    # Then the new person has an id of their own, and the old token is refused
    assert second.id > first_id
    assert response.status_code == 401
    assert second.name not in response.text


def integer_key_tables() -> list[str]:
    return sorted(
        table.name
        for table in Base.metadata.tables.values()
        if len(table.primary_key.columns) == 1
        and isinstance(next(iter(table.primary_key.columns)).type, Integer)
    )


async def test_every_integer_key_is_autoincrement_on_sqlite(session, dialect):
    # Given the models' schema; when SQLite's own definition of each table is read
    if dialect != "sqlite":
        pytest.skip("PostgreSQL's sequences never hand out an id twice")
    rows = await session.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'table'"))
    definitions = {name: sql for name, sql in rows}

    # Then every table keyed by an integer says AUTOINCREMENT
    tables = integer_key_tables()
    assert "people" in tables
    assert [t for t in tables if "AUTOINCREMENT" not in definitions[t]] == []

"""The compiled path reaches into private parts of strawberry, SQLAlchemy and graphql-core:
these fail loudly when an installed version is not the one it was tested with, or when one of
those parts is gone, instead of letting answers drift."""

from __future__ import annotations

from importlib.metadata import version

import pytest
from graphql import GraphQLSchema
from sqlalchemy import column, select
from sqlalchemy.sql import util as sql_util
from sqlalchemy.sql import visitors

from hub.interfaces.graphql.compiled.tested_with import TESTED_WITH
from hub.interfaces.graphql.schema import schema

pytestmark = pytest.mark.database_independent


@pytest.mark.parametrize("distribution", sorted(TESTED_WITH))
def test_the_installed_version_is_the_tested_one(distribution):
    installed = version(distribution)
    assert installed == TESTED_WITH[distribution], (
        f"The compiled read path was tested with {distribution} {TESTED_WITH[distribution]} and "
        f"relies on its private parts; {installed} is installed. Run tests/graphql/compiled "
        "on both databases, then update hub/interfaces/graphql/compiled/tested_with.py "
        "and pyproject.toml."
    )


def test_the_private_parts_it_uses_are_there():
    from graphql.execution.values import get_argument_values, get_variable_values
    from strawberry.extensions.max_aliases import create_validator as aliases_validator
    from strawberry.extensions.query_depth_limiter import create_validator as depth_validator

    assert isinstance(schema._schema, GraphQLSchema)
    assert select(column("a")).where(column("a") == 1)._generate_cache_key() is not None
    assert callable(sql_util.ClauseAdapter) and callable(visitors.replacement_traverse)
    for part in (get_argument_values, get_variable_values, aliases_validator, depth_validator):
        assert callable(part)


def test_sqlite_returning_names_tables_in_subqueries_only_through_qualified():
    from sqlalchemy import table
    from sqlalchemy.dialects import sqlite as sqlite_dialect
    from sqlalchemy.dialects.sqlite import insert

    from hub.interfaces.graphql.compiled.sqlite import Qualified

    charged, read = table("charged", column("id")), table("read", column("id"))
    answer = select(read.c.id).where(read.c.id == 1).scalar_subquery()

    def returning(value) -> str:
        statement = insert(charged).values(id=1).returning(value)
        return str(statement.compile(dialect=sqlite_dialect.dialect()))

    assert "WHERE id = " in returning(answer)  # what Qualified is there for
    assert "WHERE read.id = " in returning(Qualified(answer))


def test_pyproject_admits_only_the_tested_minor_versions():
    import tomllib
    from pathlib import Path

    from packaging.requirements import Requirement

    pyproject = Path(__file__).resolve().parents[3] / "pyproject.toml"
    declared = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["dependencies"]
    requirements = {Requirement(line).name.lower(): Requirement(line) for line in declared}
    for distribution, tested in TESTED_WITH.items():
        specifier = requirements[distribution].specifier
        assert specifier.contains(tested), f"{distribution} {tested} is outside {specifier}"
        major, minor, _ = (int(part) for part in tested.split("."))
        next_minor = f"{major}.{minor + 1}.0"
        assert not specifier.contains(next_minor), (
            f"{distribution}'s bound {specifier} admits {next_minor}, which nobody tested"
        )

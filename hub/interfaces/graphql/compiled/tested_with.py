"""The library versions the compiled path is tested with, and the private parts of them it
relies on. Those parts can change in any release, so pyproject.toml bounds the versions and
tests/graphql/compiled/test_tested_with.py fails the moment an installed one differs: run the
differential tests on the new version, then move the version here and in pyproject.toml."""

from __future__ import annotations

TESTED_WITH = {
    # schema._schema (the graphql-core schema strawberry builds), and the validators of
    # strawberry.extensions.max_aliases and .query_depth_limiter (create_validator).
    "strawberry-graphql": "0.341.2",
    # ClauseElement._generate_cache_key (a statement's shape, to cache its compiled SQL),
    # sql.util.ClauseAdapter and sql.visitors.replacement_traverse (binding a plan's values),
    # and the SQLite compiler's `include_table=False` for RETURNING, which it passes on into
    # subqueries (sqlite.Qualified takes it back).
    "sqlalchemy": "2.1.9",
    # graphql.execution.values: get_variable_values and get_argument_values.
    "graphql-core": "3.3.2",
}

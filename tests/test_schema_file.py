"""`schema.graphql` is the public contract: it must equal what the hub serves."""

from pathlib import Path

import pytest

from hub.interfaces.graphql.schema import schema

pytestmark = pytest.mark.database_independent

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schema.graphql"


def test_exported_schema_matches_the_served_one():
    served = schema.as_str() + "\n"
    assert SCHEMA_FILE.read_text(encoding="utf-8") == served, (
        "schema.graphql is stale: run `hub export-schema` and commit the result"
    )

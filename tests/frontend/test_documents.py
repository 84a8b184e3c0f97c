"""Every GraphQL document the pages run is valid against the published schema."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import build_schema, parse, validate

from hub.interfaces.web.pages.documents import DOCUMENTS

ROOT = Path(__file__).resolve().parents[2]
DOCUMENT_PATHS = sorted((ROOT / "frontend").rglob("*.graphql"))


def test_the_pages_have_documents() -> None:
    assert DOCUMENTS == ROOT / "frontend" / "graphql"
    assert len(DOCUMENT_PATHS) >= 12


@pytest.mark.parametrize("path", DOCUMENT_PATHS, ids=lambda path: path.name)
def test_the_document_validates_against_schema_graphql(path: Path) -> None:
    schema = build_schema((ROOT / "schema.graphql").read_text(encoding="utf-8"))
    assert [error.message for error in validate(schema, parse(path.read_text()))] == []

"""The GraphQL documents the pages run, kept as .graphql files under frontend/graphql."""

from __future__ import annotations

from functools import cache

from hub.infrastructure.shipped import FRONTEND

DOCUMENTS = FRONTEND / "graphql"


@cache
def document(name: str) -> str:
    return (DOCUMENTS / f"{name}.graphql").read_text(encoding="utf-8")

"""Who is asking, on the compiled path, without a round trip of its own.

A viewer seen before (the same token subject and granted scopes) is planned for as it was last
seen, and the data statement reads the viewer's facts again, in the same snapshot as the data.
When they changed (a new affiliation, a lost seat, a revoked client, a deleted person), the
answer built for the old facts is thrown away unsent and the request is planned again for the
facts as they are. So no answer is ever built on facts that no longer hold, and a caller who
asks again costs no lookup. Only the facts that decide permissions are remembered, per
process, and they are checked on every use: nothing here outlives a change in the database.
"""

from __future__ import annotations

import json
import time
from collections import OrderedDict
from typing import Any

from sqlalchemy import JSON, CompoundSelect, Select, Text, cast, func, literal_column, select

from hub.access.auth.clients import CLIENT_FACTS, client_viewer_from_facts
from hub.access.auth.tokens import InvalidToken, TokenClaims
from hub.access.auth.viewer import (
    PERSONAL_TOKEN_FACTS,
    VIEWER_FACTS,
    Viewer,
    person_viewer_from_facts,
    personal_viewer_from_facts,
)

MAX_REMEMBERED = 10_000

ClaimsKey = tuple[str, frozenset[str]]
Facts = Select[*tuple[Any, ...]] | CompoundSelect[*tuple[Any, ...]]


class RememberedViewers:
    """The last facts seen per token subject and scopes, least recently used dropped first."""

    def __init__(self, size: int = MAX_REMEMBERED) -> None:
        self._size = size
        self._viewers: OrderedDict[ClaimsKey, Viewer] = OrderedDict()

    def get(self, claims: TokenClaims) -> Viewer | None:
        key = (claims.subject, claims.scopes)
        viewer = self._viewers.get(key)
        if viewer is not None:
            self._viewers.move_to_end(key)
        return viewer

    def remember(self, claims: TokenClaims, viewer: Viewer) -> None:
        self._viewers[(claims.subject, claims.scopes)] = viewer
        self._viewers.move_to_end((claims.subject, claims.scopes))
        while len(self._viewers) > self._size:
            self._viewers.popitem(last=False)

    def forget(self, claims: TokenClaims) -> None:
        self._viewers.pop((claims.subject, claims.scopes), None)


def facts_of(viewer: Viewer) -> tuple[str, Facts, dict[str, Any]] | None:
    """Which facts statement describes this viewer, under what name, with what values;
    None for anonymous callers, who have none."""
    if viewer.client_id is not None:
        return "client facts", CLIENT_FACTS, {"client_id": viewer.client_id}
    if viewer.token_hash is not None:
        return "token facts", PERSONAL_TOKEN_FACTS, {"token_hash": viewer.token_hash}
    if viewer.person_id is not None:
        return "person facts", VIEWER_FACTS, {"person_id": viewer.person_id}
    return None


def with_facts(statement: Select[Any], facts: Facts, dialect_name: str) -> Select[Any]:
    """The statement with a second column: the facts' rows as a JSON array of arrays."""
    return statement.add_columns(facts_json(facts, dialect_name))


def facts_json(facts: Facts, dialect_name: str) -> Any:
    """The facts' rows as a JSON array of arrays (text), as a scalar subquery."""
    rows = facts.subquery()
    if dialect_name == "sqlite":
        # JSON columns (a client's scopes) are text to SQLite: json() makes them JSON again.
        values = [func.json(c) if isinstance(c.type, JSON) else c for c in rows.c]
        return select(func.json_group_array(func.json_array(*values))).scalar_subquery()
    as_json = func.coalesce(
        func.json_agg(func.json_build_array(*rows.c)), literal_column("'[]'::json")
    )
    return select(cast(as_json, Text)).scalar_subquery()


def viewer_from_facts(claims: TokenClaims, facts: str) -> Viewer:
    """The viewer as the data statement's facts describe it; InvalidToken when the token no
    longer stands for anyone (the normal path then tells the caller why)."""
    rows = [tuple(row) for row in json.loads(facts)]
    if claims.client_id is not None:
        return client_viewer_from_facts(claims.client_id, rows, claims.scopes)
    if claims.personal_token_hash is not None:
        # Its expiry is checked against this moment: an expired token is refused at once.
        return personal_viewer_from_facts(claims.personal_token_hash, rows, int(time.time()))
    person_id = claims.person_id
    viewer = (
        None if person_id is None else person_viewer_from_facts(person_id, rows, claims.issued_at)
    )
    if viewer is None:
        raise InvalidToken("The token's person no longer exists.")
    return viewer

"""Tombstones as a table, for the compiled read path (hub/interfaces/graphql/compiled): the
same row rule (hub/access/permissions/sync.py), bound and order as queries.py."""

from __future__ import annotations

from sqlalchemy import ColumnElement

from hub.access.auth.viewer import Viewer
from hub.access.permissions.sync import tombstone_rows
from hub.infrastructure.models import Tombstone
from hub.interfaces.graphql.compiled.declarations import (
    Arguments,
    Column,
    RootConnection,
    RootMapping,
    TypeMapping,
)
from hub.interfaces.graphql.sync.ordering import TOMBSTONES_ORDER, left_since

TOMBSTONE = TypeMapping(
    name="Tombstone",
    model=Tombstone,
    rows=tombstone_rows,
    fields={
        "id": Column(Tombstone.global_id),
        "typename": Column(Tombstone.type_name),
        "reason": Column(Tombstone.reason),
        "occurredAt": Column(Tombstone.occurred_at),
    },
)

TYPES = (TOMBSTONE,)


def _since(viewer: Viewer, arguments: Arguments) -> list[ColumnElement[bool]]:
    return [left_since(arguments["since"])]


ROOTS: dict[str, RootMapping] = {
    "deletedSince": RootConnection("Tombstone", TOMBSTONES_ORDER, _since, arguments=("since",)),
}

"""Public ids, as the GraphQL API gives them, without importing the GraphQL layer (calendar
routes and emails live outside it). tests/calendar checks they stay equal to
`hub.interfaces.graphql.node.to_global_id`."""

from __future__ import annotations

from hub.common.ids import global_id, parse_global_id

CONVENING = "Convening"


def convening_global_id(pk: int) -> str:
    return global_id(CONVENING, pk)


def convening_pk(global_id_text: str) -> int | None:
    """The database id inside a convening's global id, or None for anything else."""
    parsed = parse_global_id(global_id_text)
    return parsed[1] if parsed is not None and parsed[0] == CONVENING else None

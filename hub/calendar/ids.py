"""Public ids, as the GraphQL API gives them, without importing the GraphQL layer (calendar
routes and emails live outside it). tests/calendar checks they stay equal to
`hub.graphql.node.to_global_id`."""

from __future__ import annotations

import base64
import binascii

CONVENING = "Convening"


def global_id(type_name: str, pk: int) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def convening_global_id(pk: int) -> str:
    return global_id(CONVENING, pk)


def convening_pk(global_id_text: str) -> int | None:
    """The database id inside a convening's global id, or None for anything else."""
    try:
        decoded = base64.b64decode(global_id_text, validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    type_name, _, pk = decoded.partition(":")
    return int(pk) if type_name == CONVENING and pk.isdigit() else None

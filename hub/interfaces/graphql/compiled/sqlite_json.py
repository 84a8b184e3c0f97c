"""What SQLite lacks for the compiled path, given to it as Python functions registered on each
connection: global ids, ISO datetimes and keyset cursors written by the very code the normal
path uses (hub/common/ids.py, hub/infrastructure/pagination.py, datetime.isoformat), so the two
cannot differ.

SQLite keeps a datetime as the text SQLAlchemy wrote (UTC, no offset); these read it back as
UTCDateTime does, aware and in UTC.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, func

from hub.common.ids import global_id
from hub.infrastructure.pagination import encode_cursor, stored_python_type
from hub.interfaces.graphql.compiled.builder import text_literal

# Which of a cursor's keys are datetimes (d), integers (i) or text (s): its first argument.
KEY_KINDS = {datetime: "d", int: "i", str: "s"}


def _stored_moment(stored: str) -> datetime:
    moment = datetime.fromisoformat(stored)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _iso_datetime(stored: str | None, zone: str | None) -> str | None:
    if stored is None:
        return None
    moment = _stored_moment(stored)
    return (moment if zone is None else moment.astimezone(_zone(zone))).isoformat()


def _global_id(type_name: str, pk: int | None) -> str | None:
    return None if pk is None else global_id(type_name, pk)


def _cursor(kinds: str, *keys: Any) -> str:
    return encode_cursor(
        [_stored_moment(key) if kind == "d" else key for kind, key in zip(kinds, keys, strict=True)]
    )


# name -> (number of arguments, -1 for any; the function)
FUNCTIONS: dict[str, tuple[int, Callable[..., Any]]] = {
    "hub_iso_datetime": (2, _iso_datetime),
    "hub_global_id": (2, _global_id),
    "hub_cursor": (-1, _cursor),
}


async def register_functions(connection: Any) -> None:
    """The functions on an aiosqlite connection (deterministic: SQLite may compute them once
    per distinct arguments)."""
    for name, (arguments, function) in FUNCTIONS.items():
        await connection.create_function(name, arguments, function, deterministic=True)


def iso_datetime(
    value: ColumnElement[datetime], zone: ColumnElement[str] | None = None
) -> ColumnElement[str]:
    """datetime.isoformat() of the aware value the model gives back, in UTC or in `zone`."""
    return func.hub_iso_datetime(value, zone)


def global_id_of(type_name: str, primary_key: ColumnElement[int]) -> ColumnElement[str]:
    """hub.interfaces.graphql.node.to_global_id, by the same code."""
    return func.hub_global_id(text_literal(type_name), primary_key)


def cursor(keys: list[ColumnElement[Any]]) -> ColumnElement[str]:
    """hub.infrastructure.pagination.encode_cursor, by the same code."""
    kinds = "".join(KEY_KINDS[stored_python_type(key)] for key in keys)
    return func.hub_cursor(text_literal(kinds), *keys)

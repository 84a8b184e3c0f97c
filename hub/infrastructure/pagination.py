"""Keyset pagination over any ordered SELECT: stable under inserts, cheap on deep pages.

Cursors are opaque to clients: base64 of the sort key of the last row seen.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import BigInteger, Select, SQLColumnExpression, TypeDecorator, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from hub.common.text import is_storable_text

T = TypeVar("T")

NOT_GIVEN_OUT = "The `after` cursor is not one this hub gave out."
# Integer sort keys are `integer` columns unless declared `bigint`.
MAX_INTEGER = {False: 2**31 - 1, True: 2**63 - 1}


class InvalidCursor(ValueError):
    """A cursor this hub did not hand out, or one for another ordering."""


class InvalidPageSize(ValueError):
    pass


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    cursors: list[str]
    has_next_page: bool
    has_previous_page: bool


@dataclass(frozen=True)
class PageRequest:
    first: int
    after: str | None = None

    def check(self, maximum: int) -> None:
        if self.first < 0:
            raise InvalidPageSize("`first` cannot be negative.")
        if self.first > maximum:
            raise InvalidPageSize(f"`first` can be at most {maximum}.")


def encode_cursor(values: Sequence[Any]) -> str:
    plain = [{"t": v.isoformat()} if isinstance(v, datetime) else v for v in values]
    # Not ASCII-escaped: as PostgreSQL's to_json writes text, so the compiled path writes the
    # same cursor in one call (cursors of either form decode alike).
    written = json.dumps(plain, separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(written.encode()).decode()


def decode_cursor(cursor: str, order: Sequence[SQLColumnExpression[Any]]) -> list[Any]:
    """The sort key in a cursor this hub gave out for this order, each value of its column's
    type and range; InvalidCursor for anything else (no value reaches SQL unchecked)."""
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor.encode("ascii")))
    except (binascii.Error, ValueError, RecursionError) as error:  # UnicodeErrors are too
        raise InvalidCursor(NOT_GIVEN_OUT) from error
    if not isinstance(raw, list) or len(raw) != len(order):
        raise InvalidCursor(NOT_GIVEN_OUT)
    return [_decoded(value, key) for value, key in zip(raw, order, strict=True)]


def _decoded(value: Any, key: SQLColumnExpression[Any]) -> Any:
    python_type = stored_python_type(key)
    if python_type is datetime:
        return _decoded_time(value)
    if python_type is int and _fits_integer(value, key):
        return value
    if python_type is str and isinstance(value, str) and is_storable_text(value):
        return value
    raise InvalidCursor(NOT_GIVEN_OUT)


def _decoded_time(value: Any) -> datetime:
    if not (isinstance(value, dict) and set(value) == {"t"} and isinstance(value["t"], str)):
        raise InvalidCursor(NOT_GIVEN_OUT)
    try:
        decoded = datetime.fromisoformat(value["t"])
        decoded.astimezone(UTC)  # a time with no UTC equivalent (year 1 at +14:00)
    except (ValueError, OverflowError) as error:
        raise InvalidCursor(NOT_GIVEN_OUT) from error
    # Only the form encode_cursor writes: aware, and in the very same text.
    if decoded.tzinfo is None or decoded.isoformat() != value["t"]:
        raise InvalidCursor(NOT_GIVEN_OUT)
    return decoded


def _fits_integer(value: Any, key: SQLColumnExpression[Any]) -> bool:
    if not isinstance(value, int) or isinstance(value, bool):
        return False
    limit = MAX_INTEGER[isinstance(_stored_type(key), BigInteger)]
    return -limit - 1 <= value <= limit


def stored_python_type(column: Any) -> type:
    """The Python type of a column's values (through type decorators such as UTCDateTime)."""
    return _stored_type(column).python_type  # type: ignore[no-any-return]


def _stored_type(column: Any) -> Any:
    return column.type.impl_instance if isinstance(column.type, TypeDecorator) else column.type


async def paginate(
    session: AsyncSession,
    statement: Select[tuple[T]],
    order: Sequence[SQLColumnExpression[Any]],
    request: PageRequest,
) -> Page[T]:
    """Rows of `statement` ordered ascending by `order` (which must end in a unique column),
    after the cursor, one extra fetched to know whether another page follows."""
    keyed = statement.add_columns(*order).order_by(*order)
    if request.after is not None:
        after = decode_cursor(request.after, order)
        keyed = keyed.where(tuple_(*order) > tuple_(*after))
    rows = (await session.execute(keyed.limit(request.first + 1))).all()
    visible = rows[: request.first]
    return Page(
        items=[row[0] for row in visible],
        cursors=[encode_cursor(row[1:]) for row in visible],
        has_next_page=len(rows) > request.first,
        has_previous_page=request.after is not None,
    )


async def count(session: AsyncSession, statement: Select[Any]) -> int:
    counted = select(func.count()).select_from(statement.order_by(None).subquery())
    return int(await session.scalar(counted) or 0)

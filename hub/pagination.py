"""Keyset pagination over any ordered SELECT: stable under inserts, cheap on deep pages.

Cursors are opaque to clients: base64 of the sort key of the last row seen.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, SQLColumnExpression, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

T = TypeVar("T")


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
    return base64.urlsafe_b64encode(json.dumps(plain, separators=(",", ":")).encode()).decode()


def decode_cursor(cursor: str, arity: int) -> list[Any]:
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError) as error:
        raise InvalidCursor("The `after` cursor is not one this hub gave out.") from error
    if not isinstance(raw, list) or len(raw) != arity:
        raise InvalidCursor("The `after` cursor is not one this hub gave out.")
    return [_decode_value(v) for v in raw]


def _decode_value(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"t"}:
        try:
            return datetime.fromisoformat(value["t"])
        except (TypeError, ValueError) as error:
            raise InvalidCursor("The `after` cursor is not one this hub gave out.") from error
    if isinstance(value, (dict, list)):
        raise InvalidCursor("The `after` cursor is not one this hub gave out.")
    return value


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
        after = decode_cursor(request.after, len(order))
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

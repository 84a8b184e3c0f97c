"""`updatedSince` on the lists a peer reads: the changed rows in (updatedAt, id) order, so a
poller pages through changes with cursors and resumes from the newest `updatedAt` it saw."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select

from hub.infrastructure.pagination import InvalidCursor, decode_cursor

UPDATED_SINCE = (
    "Only items changed at or after this time (an offset-less time is UTC), in the order they "
    "changed (`updatedAt`, then id), including items that became visible to you. Items that "
    "left the list (cancelled, withdrawn, deleted or hidden from you) are not here: read "
    "`deletedSince`. Resume from the newest `updatedAt` you saw, minus a few seconds of "
    "overlap; applying an item twice is harmless."
)


def changed_since(
    statement: Select[Any], model: Any, since: datetime, after: str | None
) -> tuple[Select[Any], list[ColumnElement[Any]]]:
    """The statement narrowed to rows changed since `since`, and the order to page it by."""
    order = [model.updated_at, model.id]
    if after is not None:
        _require_time_cursor(after, order)
    statement = statement.where(model.updated_at >= aware(since))
    return statement, order


def aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _require_time_cursor(after: str, order: list[ColumnElement[Any]]) -> None:
    # A cursor from the list's other ordering (by name, by start) would compare a time
    # with a name: refuse it as a cursor this ordering did not give out.
    try:
        decode_cursor(after, order)
    except InvalidCursor as error:
        raise InvalidCursor(
            "The `after` cursor is not one this hub gave out for `updatedSince`."
        ) from error

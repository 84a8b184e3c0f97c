"""`updatedSince` on the lists a peer reads: the changed rows in (updatedAt, id) order, so a
poller pages through changes with cursors and resumes from the newest `updatedAt` it saw.
One definition for the normal path (the domains' queries.py) and the compiled one (their
mapping.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement

from hub.access.permissions.sync import ENDED_CONVENING, ENDED_PROPOSAL
from hub.domains.convenings.filters import aware
from hub.infrastructure.models import Convening, Proposal, Tombstone
from hub.infrastructure.pagination import InvalidCursor, decode_cursor

UPDATED_SINCE = (
    "Only items changed at or after this time (an offset-less time is UTC), in the order they "
    "changed (`updatedAt`, then id), including items that became visible to you. Items that "
    "left the list (cancelled, withdrawn, deleted or hidden from you) are not here: read "
    "`deletedSince`. Resume from the newest `updatedAt` you saw, minus a few seconds of "
    "overlap; applying an item twice is harmless."
)

# What leaves a sync list by its status: these arrive as tombstones instead.
_ENDED = {Convening: ENDED_CONVENING, Proposal: ENDED_PROPOSAL}


def changed_since(model: Any, since: datetime) -> list[ColumnElement[bool]]:
    """The rows of a sync list: changed since `since`, and not ended."""
    conditions = [model.updated_at >= aware(since)]
    if model in _ENDED:
        conditions.append(model.status != _ENDED[model])
    return conditions


def changes_order(model: Any) -> tuple[Any, ...]:
    return (model.updated_at, model.id)


def by_change(model: Any) -> dict[str, tuple[Any, ...]]:
    """A compiled root's `orders`: `updatedSince` pages by change."""
    return {"updatedSince": changes_order(model)}


def changes_asked(model: Any, arguments: dict[str, Any]) -> list[ColumnElement[bool]]:
    """A compiled root's conditions for `updatedSince`, when the request gives it."""
    since = arguments.get("updatedSince")
    return [] if since is None else changed_since(model, since)


def changes_page_order(model: Any, after: str | None) -> tuple[Any, ...]:
    """The order to page a sync list by, refusing a cursor another ordering gave out."""
    order = changes_order(model)
    if after is not None:
        _require_time_cursor(after, order)
    return order


TOMBSTONES_ORDER = (Tombstone.occurred_at, Tombstone.id)


def left_since(since: datetime) -> ColumnElement[bool]:
    """`deletedSince`'s tombstones: those at or after `since`, oldest first."""
    return Tombstone.occurred_at >= aware(since)


def _require_time_cursor(after: str, order: tuple[Any, ...]) -> None:
    # A cursor from the list's other ordering (by name, by start) would compare a time
    # with a name: refuse it as a cursor this ordering did not give out.
    try:
        decode_cursor(after, order)
    except InvalidCursor as error:
        raise InvalidCursor(
            "The `after` cursor is not one this hub gave out for `updatedSince`."
        ) from error

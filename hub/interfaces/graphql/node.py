"""Relay's `Node`: global ids, and fetching any object by one."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import strawberry

from hub.common.ids import global_id, parse_global_id
from hub.interfaces.graphql.context import Context


class InvalidGlobalId(ValueError):
    def __init__(self, expected: str | None = None) -> None:
        what = f"an id of a {expected}" if expected else "an id this hub gave out"
        super().__init__(f"That is not {what}.")


@strawberry.interface(description="An object with a global id, fetchable with `node(id:)`.")
class Node:
    id: strawberry.ID = strawberry.field(description="The object's global id.")


NodeFetcher = Callable[[Context, int], Awaitable[Any]]
_fetchers: dict[str, NodeFetcher] = {}


def register_node(type_name: str, fetch: NodeFetcher) -> None:
    _fetchers[type_name] = fetch


def loaded_by(loader_class: type[Any], wrap: Callable[[Any], Any]) -> NodeFetcher:
    """A fetcher that reads through the type's by-id loader, so its row rule applies."""

    async def fetch(context: Context, pk: int) -> Any:
        row = await context.loader(loader_class).load(pk)
        return wrap(row) if row else None

    return fetch


def to_global_id(type_name: str, pk: int) -> strawberry.ID:
    return strawberry.ID(global_id(type_name, pk))


def from_global_id(text: str) -> tuple[str, int]:
    parsed = parse_global_id(text)
    if parsed is None or parsed[0] not in _fetchers:
        raise InvalidGlobalId()
    return parsed


def pk_of(global_id: str, type_name: str) -> int:
    """The database id inside a global id that must name `type_name`."""
    try:
        found_type, pk = from_global_id(global_id)
    except InvalidGlobalId as error:
        raise InvalidGlobalId(type_name) from error
    if found_type != type_name:
        raise InvalidGlobalId(type_name)
    return pk


async def resolve_node(context: Context, global_id: str) -> Any:
    type_name, pk = from_global_id(global_id)
    return await _fetchers[type_name](context, pk)

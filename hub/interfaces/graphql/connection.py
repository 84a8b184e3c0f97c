"""Relay connections: `edges { cursor node }`, `pageInfo` and `totalCount`, keyset-paged."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

import strawberry
from sqlalchemy import Select, SQLColumnExpression

from hub.infrastructure import pagination
from hub.interfaces.graphql.context import Context

NodeT = TypeVar("NodeT")


@strawberry.type(description="Where a page sits in a connection.")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[NodeT]):
    cursor: str = strawberry.field(description="Pass as `after` to read the items after this.")
    node: NodeT


@strawberry.type(description="A page of a list, in a stable order.")
class Connection(Generic[NodeT]):
    edges: list[Edge[NodeT]]
    page_info: PageInfo
    _count_statement: strawberry.Private[Select[Any] | None]

    @strawberry.field(description="How many items the whole list holds, across all pages.")
    async def total_count(self, info: strawberry.Info[Context, None]) -> int:
        if self._count_statement is None:
            return len(self.edges)
        return await pagination.count(info.context.session, self._count_statement)


def page_request(context: Context, first: int | None, after: str | None) -> pagination.PageRequest:
    settings = context.settings
    request = pagination.PageRequest(
        first=settings.default_page_size if first is None else first, after=after
    )
    request.check(settings.max_page_size)
    return request


async def connection_of(
    context: Context,
    statement: Select[Any],
    order: Sequence[SQLColumnExpression[Any]],
    wrap: Callable[[Any], NodeT],
    first: int | None,
    after: str | None,
) -> Connection[NodeT]:
    page = await pagination.paginate(
        context.session, statement, order, page_request(context, first, after)
    )
    edges = [
        Edge(cursor=c, node=wrap(item)) for item, c in zip(page.items, page.cursors, strict=True)
    ]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=page.has_next_page,
            has_previous_page=page.has_previous_page,
            start_cursor=page.cursors[0] if page.cursors else None,
            end_cursor=page.cursors[-1] if page.cursors else None,
        ),
        _count_statement=statement,
    )

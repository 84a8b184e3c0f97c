"""A plan, a viewer and the request's arguments -> one PostgreSQL statement whose only value is
the whole `{"data": ...}` document as UTF-8 JSON bytes (the walk itself: builder.py).

Objects are `json_build_object` (json, not jsonb, keeps keys in selection order), lists
`json_agg` in order with `coalesce(..., '[]')`. Lists right under a root page's rows (a
convening's hosts) are read for the whole page at once instead: the page is a common table
expression, and each list one grouped join over its keys.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    ColumnElement,
    FromClause,
    Select,
    Text,
    cast,
    false,
    func,
    literal_column,
    select,
    true,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import aggregate_order_by as in_order

from hub.interfaces.graphql.compiled import postgres_json
from hub.interfaces.graphql.compiled.bindings import Bindings
from hub.interfaces.graphql.compiled.builder import Builder, Listed, PageRows, related_under
from hub.interfaces.graphql.compiled.declarations import Linked, Many
from hub.interfaces.graphql.compiled.plan import Plan

EMPTY_LIST: ColumnElement[Any] = literal_column("'[]'::json")


def data_statement(plan: Plan, bindings: Bindings) -> Select[tuple[bytes]]:
    """The statement answering the plan for requests shaped like this one; every value it
    needs is a named bind parameter in `bindings.params`. It gives the document as UTF-8
    bytes (bytea), which the driver hands over as they are, with no text decoding."""
    return PostgresBuilder(bindings).statement(plan)


class PostgresBuilder(Builder):
    def __init__(self, bindings: Bindings) -> None:
        super().__init__(bindings)
        # Root pages (common table expressions), and the grouped lists joined to each.
        self._grouped: dict[FromClause, list[tuple[FromClause, ColumnElement[bool]]]] = {}

    OBJECT = func.json_build_object
    global_id = staticmethod(postgres_json.global_id)
    iso_datetime = staticmethod(postgres_json.iso_datetime)
    cursor = staticmethod(postgres_json.cursor)

    def document(self, data: ColumnElement[Any]) -> ColumnElement[Any]:
        return func.convert_to(cast(data, Text), literal_column("'UTF8'"))

    def list_json(self, listed: Listed) -> ColumnElement[Any]:
        items = func.json_agg(in_order(listed.value, *listed.order))
        if listed.source in self._grouped:
            return self.grouped_list(listed, items)
        values = select(func.coalesce(items, EMPTY_LIST)).select_from(listed.tables)
        values = values.where(*listed.where)
        return values.scalar_subquery()

    def grouped_list(self, listed: Listed, items: ColumnElement[Any]) -> ColumnElement[Any]:
        """A list under a root page's rows, for all of them at once: the related rows of the
        page's keys, grouped by key, joined to the page. (A correlated subquery per row costs
        an executor re-scan each: most of a 50-row page's time.)"""
        key, parent_key, source = listed.key, listed.parent_key, listed.source
        assert key is not None and parent_key is not None and source is not None
        grouped = (
            select(key.label("key"), items.label("items"))
            .select_from(listed.tables)
            .where(listed.rows, key.in_(select(parent_key)))
            .group_by(key)
            .subquery(self.name("g"))
        )
        self._grouped[source].append((grouped, grouped.c.key == parent_key))
        return func.coalesce(grouped.c["items"], EMPTY_LIST)

    def page_table(
        self, statement: Select[Any], parent: FromClause | None, fields: Any
    ) -> FromClause:
        if parent is None and any(
            isinstance(f.relation, Many | Linked) for f in related_under(fields)
        ):
            # A root page with lists under its rows is a common table expression, so that the
            # lists can be read for all of its keys at once (grouped_list).
            rows = statement.cte(self.name("p"))
            self._grouped[rows] = []
            return rows
        return super().page_table(statement, parent, fields)

    def page_from(self, page: PageRows) -> FromClause:
        rows = page.subquery
        for grouped, on in self._grouped.get(page.subquery, []):
            rows = rows.outerjoin(grouped, on)  # one row or none per key: no rows added
        return rows

    def edges_json(self, page: PageRows, edge: ColumnElement[Any]) -> ColumnElement[Any]:
        items = func.json_agg(in_order(edge, page.number)).filter(page.visible)
        return func.coalesce(items, EMPTY_LIST)

    def first_cursor(self, page: PageRows, last: bool) -> ColumnElement[Any]:
        direction = page.number.desc() if last else page.number
        cursors = func.array_agg(in_order(self.page_cursor(page), direction), type_=ARRAY(Text))
        return cursors.filter(page.visible)[1]

    def constant(self, value: bool) -> ColumnElement[Any]:
        return true() if value else false()

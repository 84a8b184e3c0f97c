"""A plan, a viewer and the request's arguments -> one SQLite statement whose only value is the
whole `{"data": ...}` document as JSON text (the walk itself: builder.py).

Objects are `json_object`, lists `json_group_array` over an ordered subquery (SQLite
aggregates rows in the order its subquery gives them, and before 3.44 takes no ORDER BY in an
aggregate). SQLite's JSON functions know a value is JSON only when it comes straight from
another JSON function, so JSON read back through a subquery is given again through `json()`;
booleans are 0 and 1 to SQLite, so they are written `true`/`false` here. Global ids, datetimes
and cursors are Python functions on the connection (sqlite_json.py).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Boolean, ColumnElement, Select, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler

from hub.interfaces.graphql.compiled import sqlite_json
from hub.interfaces.graphql.compiled.bindings import Bindings
from hub.interfaces.graphql.compiled.builder import Builder, Listed, PageRows, number, text_literal
from hub.interfaces.graphql.compiled.declarations import Column
from hub.interfaces.graphql.compiled.plan import Plan

ITEM = "item"
BOOLEANS = text_literal("[false,true]")


def data_statement(plan: Plan, bindings: Bindings) -> Select[tuple[str]]:
    """As postgres.data_statement, for SQLite: the document as text."""
    return SQLiteBuilder(bindings).statement(plan)


def as_json(value: ColumnElement[Any]) -> ColumnElement[Any]:
    return func.json(value)


def json_boolean(condition: ColumnElement[Any]) -> ColumnElement[Any]:
    """true, false, or null (for null), as JSON: the 0th or 1st of a JSON array, by `->`
    (an operator: SQLite's parser nests it at no depth, where json(CASE ...) costs two)."""
    return BOOLEANS.op("->")(condition.self_group())


class SQLiteBuilder(Builder):
    OBJECT = func.json_object
    global_id = staticmethod(sqlite_json.global_id_of)
    iso_datetime = staticmethod(sqlite_json.iso_datetime)
    cursor = staticmethod(sqlite_json.cursor)

    def document(self, data: ColumnElement[Any]) -> ColumnElement[Any]:
        return data

    def subquery_json(self, value: ColumnElement[Any]) -> ColumnElement[Any]:
        return as_json(value)

    def list_json(self, listed: Listed) -> ColumnElement[Any]:
        ordered = (
            select(listed.value.label(ITEM))
            .select_from(listed.tables)
            .where(*listed.where)
            .order_by(*listed.order)
            # No limit (-1), but a LIMIT all the same: SQLite may drop the ORDER BY of a
            # subquery in FROM, never that of one with a LIMIT.
            .limit(number(-1))
            .correlate(listed.source)  # a derived table: else it would join the parent's
            .subquery(self.name("l"))
        )
        items = select(func.json_group_array(as_json(ordered.c[ITEM])))
        return as_json(items.scalar_subquery())

    def list_item(self, value: ColumnElement[Any]) -> ColumnElement[Any]:
        return func.json_quote(value)  # list_json takes JSON items

    def edges_json(self, page: PageRows, edge: ColumnElement[Any]) -> ColumnElement[Any]:
        # The page is a derived table in order (ORDER BY with its LIMIT): aggregated as given.
        return func.json_group_array(edge).filter(page.visible)

    def first_cursor(self, page: PageRows, last: bool) -> ColumnElement[Any]:
        cursors = func.json_group_array(self.page_cursor(page)).filter(page.visible)
        return func.json_extract(cursors, text_literal("$[#-1]" if last else "$[0]"))

    def boolean(self, condition: ColumnElement[bool]) -> ColumnElement[Any]:
        return json_boolean(condition)

    def constant(self, value: bool) -> ColumnElement[Any]:
        return as_json(text_literal("true" if value else "false"))

    def stored_value(self, value: ColumnElement[Any], column: Column) -> ColumnElement[Any]:
        stored = getattr(column.attribute, "type", None)
        if isinstance(stored, Boolean):
            return json_boolean(value)
        if isinstance(stored, JSON):
            return as_json(value)
        return value


class Qualified(ColumnElement[Any]):
    """A column of a RETURNING clause whose subqueries name their tables. (SQLite's compiler
    writes RETURNING's columns unqualified, and passes that on into every subquery, where
    `id` of a join is then ambiguous.)"""

    inherit_cache = False  # built once per request shape and compiled directly: never cached

    def __init__(self, element: ColumnElement[Any]) -> None:
        self.element = element
        self.type = element.type


@compiles(Qualified)
def _qualified(element: Qualified, compiler: SQLCompiler, **kw: Any) -> str:
    kw.pop("include_table", None)
    return compiler.process(element.element, **kw)

"""What the two statement builders share: the walk of a plan with a request's bindings, into
one SELECT whose only value is the whole `{"data": ...}` document as JSON.

Relations are correlated subqueries on their indexed keys, and a connection's page is a
derived table with its LIMIT inside, numbered in order. Every value a client sent, and every
fact about the viewer, is a bind parameter. How a JSON object, a list in order, an edge list,
a boolean, a global id, a datetime or a cursor is written is the dialect's
(postgres.py, sqlite.py): each subclass gives those, and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    FromClause,
    Integer,
    Select,
    Text,
    and_,
    case,
    func,
    literal_column,
    null,
    select,
    true,
    tuple_,
)
from sqlalchemy.sql.elements import False_, True_
from sqlalchemy.sql.util import ClauseAdapter

from hub.interfaces.graphql.compiled import registry
from hub.interfaces.graphql.compiled.bindings import (
    Bindings,
    Condition,
    Decided,
    Listing,
    NodeLookup,
    Page,
    RootInput,
)
from hub.interfaces.graphql.compiled.declarations import (
    Column,
    Embedded,
    Linked,
    Many,
    One,
    TypeMapping,
    Values,
    ViewerExpression,
)
from hub.interfaces.graphql.compiled.plan import (
    ConnectionField,
    Cursor,
    EdgeNode,
    Edges,
    GlobalId,
    NestedConnection,
    ObjectField,
    ObjectPlan,
    PageFlag,
    PageInfo,
    Plan,
    Related,
    RootConnectionField,
    RootField,
    RootListField,
    RootObjectField,
    Scalar,
    ScalarList,
    TotalCount,
    Typename,
)

ROW_NUMBER = "__row"


def text_literal(value: str) -> ColumnElement[str]:
    """A constant written into the SQL: only ever GraphQL names and fixed formats, never
    anything a client sent (those are bind parameters)."""
    if "'" in value:
        raise ValueError(f"not a safe SQL literal: {value!r}")
    return literal_column(f"'{value}'", Text)


def number(value: int) -> ColumnElement[int]:
    """An integer constant of the SQL text itself, keeping fixed numbers out of the binds."""
    return literal_column(str(int(value)), Integer)


def adapted(source: FromClause, expression: Any) -> ColumnElement[Any]:
    """An expression written against a model, re-aimed at an alias or page of its table."""
    clause = expression
    if hasattr(expression, "__clause_element__"):
        clause = expression.__clause_element__()
    return ClauseAdapter(source).traverse(clause)  # type: ignore[no-any-return]


class Builder:
    """A plan and one request's bindings -> the document's expression. Subclasses write JSON
    in their dialect's words (the methods below `# The dialect's words.`)."""

    def __init__(self, bindings: Bindings) -> None:
        self.bindings = bindings
        self.rules = {name: c.parameterized() for name, c in bindings.rows.items()}
        self.field_rules = {key: c.parameterized() for key, c in bindings.visible.items()}
        self._aliases = 0

    def statement(self, plan: Plan) -> Select[Any]:
        data = self.object(
            (field.key, self.root_value(field, given))
            for field, given in zip(plan.fields, self.bindings.roots, strict=True)
        )
        return select(self.document(self.object([("data", data)])))

    def alias(self, mapping: TypeMapping) -> FromClause:
        # Numbered in plan order, so a plan always yields the same SQL.
        return mapping.model.__table__.alias(self.name("t"))  # type: ignore[no-any-return]

    def name(self, prefix: str) -> str:
        self._aliases += 1
        return f"{prefix}{self._aliases}"

    def rows(self, mapping: TypeMapping, source: FromClause) -> ColumnElement[bool]:
        return adapted(source, self.rules[mapping.name])

    # Root fields.

    def root_value(self, field: RootField, given: RootInput) -> ColumnElement[Any]:
        if isinstance(field, Typename):
            return text_literal(field.name)
        if isinstance(field, RootConnectionField):
            assert isinstance(given, Page)
            return self.root_connection(field, given)
        if isinstance(field, RootListField):
            assert isinstance(given, Listing)
            return self.root_list(field, given)
        if isinstance(given, Decided):
            return self.constant(given.value)
        if isinstance(given, NodeLookup):
            return self.one_row(given.plan, given.plan.mapping.primary_key == given.pk)
        if given is None:
            return null()
        assert isinstance(field, RootObjectField) and isinstance(given, Condition)
        return self.one_row(field.plan, given.parameterized())

    def one_row(self, plan: ObjectPlan, condition: ColumnElement[bool]) -> ColumnElement[Any]:
        source = self.alias(plan.mapping)
        statement = select(self.object_json(plan, source)).select_from(source)
        statement = statement.where(adapted(source, condition), self.rows(plan.mapping, source))
        return self.subquery_json(statement.limit(1).scalar_subquery())

    def root_list(self, field: RootListField, given: Listing) -> ColumnElement[Any]:
        mapping = registry.TYPES[field.root.target]
        source = self.alias(mapping)
        conditions = [adapted(source, c.parameterized()) for c in given.conditions]
        rows = and_(self.rows(mapping, source), *conditions)
        order = [adapted(source, key) for key in field.root.order]
        value = self.object_json(field.plan, source)
        return self.list_json(Listed(None, value, order, source, None, None, rows))

    # Objects.

    def object_json(self, plan: ObjectPlan, source: FromClause) -> ColumnElement[Any]:
        return self.object((f.key, self.field_value(plan.mapping, f, source)) for f in plan.fields)

    def field_value(
        self, mapping: TypeMapping, field: ObjectField, source: FromClause
    ) -> ColumnElement[Any]:
        if isinstance(field, Typename):
            return text_literal(field.name)
        if isinstance(field, GlobalId):
            return self.global_id(field.type_name, adapted(source, mapping.primary_key))
        if isinstance(field, Scalar):
            return self.scalar(field, source)
        if isinstance(field, NestedConnection):
            return self.nested_connection(field, source)
        if isinstance(field, ScalarList):
            return self.values_json(field.values, source)
        if isinstance(field.relation, Embedded):
            return self.shown(field.relation.visible, self.object_json(field.plan, source), source)
        target = registry.TYPES[field.relation.target]
        related = self.alias(target)
        tables, child_key = self.joined(field.relation, related)
        parent_key = adapted(source, field.relation.parent_key)
        rows = self.rows(target, related)
        value = self.object_json(field.plan, related)
        if isinstance(field.relation, Many | Linked):
            order = [adapted(related, key) for key in field.relation.order]
            return self.list_json(Listed(source, value, order, tables, child_key, parent_key, rows))
        one = select(value).select_from(tables).where(child_key == parent_key, rows)
        return self.subquery_json(one.limit(1).scalar_subquery())

    def values_json(self, values: Values, source: FromClause) -> ColumnElement[Any]:
        rows = values.value.table.alias(self.name("t"))
        order = [adapted(rows, key) for key in values.order]
        key, parent_key = adapted(rows, values.target_key), adapted(source, values.parent_key)
        value = self.list_item(adapted(rows, values.value))
        return self.list_json(Listed(source, value, order, rows, key, parent_key, true()))

    def joined(
        self, relation: One | Many | Linked, related: FromClause
    ) -> tuple[FromClause, ColumnElement[Any]]:
        """The tables a relation reads, and the column in them that equals the parent's key.
        A link table is joined in FROM, so the condition refers to the parent one level up, as
        any other."""
        if not isinstance(relation, Linked):
            return related, adapted(related, relation.target_key)
        link = relation.link_parent.table.alias(self.name("t"))
        on = adapted(link, relation.link_target) == adapted(related, relation.target_key)
        return related.join(link, on), adapted(link, relation.link_parent)

    def scalar(self, field: Scalar, source: FromClause) -> ColumnElement[Any]:
        value = self.column(field.column, source)
        if field.is_datetime:
            zone = field.column.zone
            return self.iso_datetime(value, None if zone is None else self.per_viewer(zone, source))
        if field.enum_names:
            names = {stored: text_literal(name) for stored, name in field.enum_names.items()}
            return case(*((value == text_literal(s), n) for s, n in names.items()))
        return self.stored_value(value, field.column)

    def column(self, column: Column, source: FromClause) -> ColumnElement[Any]:
        return self.shown(column.visible, adapted(source, column.attribute), source)

    def shown(
        self, rule: ViewerExpression | None, value: ColumnElement[Any], source: FromClause
    ) -> ColumnElement[Any]:
        """The value where the field rule holds for this row, else null."""
        if rule is None:
            return value
        visible = self.field_rules[id(rule)]
        if isinstance(visible, True_):
            return value
        if isinstance(visible, False_):
            return null()
        return case((adapted(source, visible), value))

    def per_viewer(self, given: ViewerExpression, source: FromClause) -> ColumnElement[Any]:
        return adapted(source, self.field_rules[id(given)])

    # Relay connections.

    def root_connection(self, field: RootConnectionField, given: Page) -> ColumnElement[Any]:
        mapping = registry.TYPES[field.root.target]
        conditions = [self.rules[mapping.name], *(c.parameterized() for c in given.conditions)]
        page = self.page(mapping, given.order, conditions, given, fields=field.fields)
        return self.connection_json(field.fields, mapping, conditions, page)

    def nested_connection(self, field: NestedConnection, source: FromClause) -> ColumnElement[Any]:
        """The parent row's page, taken in a derived table correlated to the parent."""
        relation = field.relation
        mapping = registry.TYPES[relation.target]
        join = relation.target_key == adapted(source, relation.parent_key)
        given = self.bindings.nested[id(field)]
        conditions = [
            self.rules[mapping.name],
            join,
            *(c.parameterized() for c in given.conditions),
        ]
        page = self.page(mapping, relation.order, conditions, given, parent=source)
        value = self.connection_json(field.fields, mapping, conditions, page)
        return self.shown(relation.visible, value, source)

    def connection_json(
        self,
        fields: tuple[ConnectionField, ...],
        mapping: TypeMapping,
        conditions: list[ColumnElement[bool]],
        page: PageRows,
    ) -> ColumnElement[Any]:
        parts = [
            (part.key, self.connection_part(part, mapping, conditions, page)) for part in fields
        ]
        statement = select(self.object(parts))
        if any(_reads_page(part) for part in fields):
            statement = statement.select_from(self.page_from(page))
        return self.subquery_json(statement.scalar_subquery())

    def page(
        self,
        mapping: TypeMapping,
        order: tuple[Any, ...],
        conditions: list[ColumnElement[bool]],
        given: Page,
        parent: FromClause | None = None,
        fields: tuple[ConnectionField, ...] = (),
    ) -> PageRows:
        source = self.alias(mapping)
        keys = [adapted(source, key) for key in order]
        where = [adapted(source, condition) for condition in conditions]
        if given.after is not None:
            where.append(tuple_(*keys) > tuple_(*given.after))
        numbered = func.row_number().over(order_by=keys).label(ROW_NUMBER)
        statement = select(*source.c, numbered).where(*where).order_by(*keys).limit(given.limit)
        return PageRows(self.page_table(statement, parent, fields), order, given, parent)

    def page_table(
        self, statement: Select[Any], parent: FromClause | None, fields: Any
    ) -> FromClause:
        # A derived table is not correlated on its own: it would join the parent's table.
        return statement.correlate(parent).subquery(self.name("p"))

    def page_from(self, page: PageRows) -> FromClause:
        return page.subquery

    def connection_part(
        self,
        part: ConnectionField,
        mapping: TypeMapping,
        conditions: list[ColumnElement[bool]],
        page: PageRows,
    ) -> ColumnElement[Any]:
        if isinstance(part, Typename):
            return text_literal(part.name)
        if isinstance(part, TotalCount):
            return self.total_count(mapping, conditions, page.parent)
        if isinstance(part, PageInfo):
            return self.object((flag.key, self.flag(page, flag)) for flag in part.fields)
        pairs = []
        for field in part.fields:
            if isinstance(field, Typename):
                pairs.append((field.key, text_literal(field.name)))
            elif isinstance(field, Cursor):
                pairs.append((field.key, self.page_cursor(page)))
            elif isinstance(field, EdgeNode):
                pairs.append((field.key, self.object_json(field.plan, page.subquery)))
        return self.edges_json(page, self.object(pairs))

    def total_count(
        self,
        mapping: TypeMapping,
        conditions: list[ColumnElement[bool]],
        parent: FromClause | None,
    ) -> ColumnElement[Any]:
        source = self.alias(mapping)
        where = [adapted(source, condition) for condition in conditions]
        counted = select(func.count()).select_from(source).where(*where)
        if parent is not None:
            counted = counted.correlate(parent)  # two levels below it: not found on its own
        return counted.scalar_subquery()

    def page_cursor(self, page: PageRows) -> ColumnElement[str]:
        return self.cursor([adapted(page.subquery, key) for key in page.order])

    def flag(self, page: PageRows, flag: Typename | PageFlag) -> ColumnElement[Any]:
        if isinstance(flag, Typename):
            return text_literal(flag.name)
        if flag.name == "hasNextPage":
            return self.boolean(func.count() > page.given.first)
        if flag.name == "hasPreviousPage":
            return self.constant(page.given.after is not None)
        return self.first_cursor(page, last=flag.name == "endCursor")

    # The dialect's words.

    OBJECT: Any  # the function building a JSON object from keys and values
    global_id: Callable[[str, ColumnElement[int]], ColumnElement[str]]
    iso_datetime: Callable[[ColumnElement[datetime], ColumnElement[str] | None], Any]
    cursor: Callable[[list[ColumnElement[Any]]], ColumnElement[str]]

    def object(self, pairs: Any) -> ColumnElement[Any]:
        arguments: list[Any] = []
        for key, value in pairs:
            arguments += [text_literal(key), value]
        return self.OBJECT(*arguments)  # type: ignore[no-any-return]

    def document(self, data: ColumnElement[Any]) -> ColumnElement[Any]:
        """The statement's one column, as the driver should hand it over."""
        raise NotImplementedError

    def subquery_json(self, value: ColumnElement[Any]) -> ColumnElement[Any]:
        """A scalar subquery's JSON, as a value of the enclosing object."""
        return value

    def list_json(self, listed: Listed) -> ColumnElement[Any]:
        """The list's JSON (`[]` for none)."""
        raise NotImplementedError

    def list_item(self, value: ColumnElement[Any]) -> ColumnElement[Any]:
        """A scalar as an item of a list."""
        return value

    def edges_json(self, page: PageRows, edge: ColumnElement[Any]) -> ColumnElement[Any]:
        """The page's visible rows' `edge`, in the page's order (`[]` for none)."""
        raise NotImplementedError

    def first_cursor(self, page: PageRows, last: bool) -> ColumnElement[Any]:
        """The cursor of the page's first (or last) visible row, or null."""
        raise NotImplementedError

    def boolean(self, condition: ColumnElement[bool]) -> ColumnElement[Any]:
        return condition

    def constant(self, value: bool) -> ColumnElement[Any]:
        raise NotImplementedError

    def stored_value(self, value: ColumnElement[Any], column: Column) -> ColumnElement[Any]:
        """A column's value as JSON (booleans, JSON documents: dialects differ)."""
        return value


@dataclass(frozen=True)
class Listed:
    """A list field under the `source` row: `value` for each row of `tables` whose `key`
    equals the parent's `parent_key` and that `rows` lets the viewer see, in `order`. A root
    list has no source, key nor parent key: its conditions are all in `rows`."""

    source: FromClause | None
    value: ColumnElement[Any]
    order: list[ColumnElement[Any]]
    tables: FromClause
    key: ColumnElement[Any] | None
    parent_key: ColumnElement[Any] | None
    rows: ColumnElement[bool]

    @property
    def where(self) -> list[ColumnElement[bool]]:
        joined = [] if self.key is None else [self.key == self.parent_key]
        return [*joined, self.rows]


class PageRows:
    """A connection's page: up to first + 1 rows, numbered in order; the extra row only says
    that another page follows."""

    def __init__(
        self,
        subquery: FromClause,
        order: tuple[Any, ...],
        given: Page,
        parent: FromClause | None = None,
    ) -> None:
        self.subquery = subquery
        self.parent = parent  # the row a nested connection belongs to
        self.order = order
        self.given = given
        self.number = subquery.c[ROW_NUMBER]
        self.visible = self.number <= given.first


def related_under(fields: tuple[ConnectionField, ...]) -> list[Related]:
    """The relations right under a connection's nodes."""
    return [
        node_field
        for edges in fields
        if isinstance(edges, Edges)
        for part in edges.fields
        if isinstance(part, EdgeNode)
        for node_field in part.plan.fields
        if isinstance(node_field, Related)
    ]


def _reads_page(part: ConnectionField) -> bool:
    if isinstance(part, Edges):
        return True
    return isinstance(part, PageInfo) and any(
        isinstance(f, PageFlag) and f.name != "hasPreviousPage" for f in part.fields
    )

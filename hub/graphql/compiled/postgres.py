"""A plan, a viewer and the request's arguments -> one PostgreSQL statement whose only value is
the whole `{"data": ...}` document as UTF-8 JSON bytes.

Objects are `json_build_object` (json, not jsonb, keeps keys in selection order), relations
are correlated subqueries on their indexed keys, lists `json_agg` with `coalesce(..., '[]')`,
and a connection's page is a derived table with its LIMIT inside. Lists right under a root
page's rows (a convening's hosts) are read for the whole page at once instead: the page is a
common table expression, and each list one grouped join over its keys. Every value a client
sent, and every fact about the viewer, is a bind parameter.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    ColumnElement,
    FromClause,
    Select,
    Text,
    case,
    cast,
    false,
    func,
    literal_column,
    null,
    select,
    true,
    tuple_,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import aggregate_order_by as in_order
from sqlalchemy.sql.elements import False_, True_
from sqlalchemy.sql.util import ClauseAdapter

from hub.graphql.compiled import registry
from hub.graphql.compiled.bindings import Bindings, Condition, NodeLookup, Page, RootInput
from hub.graphql.compiled.declarations import (
    Column,
    Embedded,
    Linked,
    Many,
    One,
    TypeMapping,
    ViewerExpression,
)
from hub.graphql.compiled.plan import (
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
    RootObjectField,
    Scalar,
    TotalCount,
    Typename,
)
from hub.graphql.compiled.postgres_json import (
    cursor,
    global_id,
    iso_datetime,
    text_literal,
)

EMPTY_LIST: ColumnElement[Any] = literal_column("'[]'::json")
ROW_NUMBER = "__row"


def data_statement(plan: Plan, bindings: Bindings) -> Select[tuple[bytes]]:
    """The statement answering the plan for requests shaped like this one; every value it
    needs is a named bind parameter in `bindings.params`. It gives the document as UTF-8
    bytes (bytea), which the driver hands over as they are, with no text decoding."""
    builder = _Builder(bindings)
    data = _object(
        (field.key, builder.root_value(field, given))
        for field, given in zip(plan.fields, bindings.roots, strict=True)
    )
    document = cast(_object([("data", data)]), Text)
    return select(func.convert_to(document, literal_column("'UTF8'")))


def _object(pairs: Any) -> ColumnElement[Any]:
    arguments: list[Any] = []
    for key, value in pairs:
        arguments += [text_literal(key), value]
    return func.json_build_object(*arguments)


def _adapted(source: FromClause, expression: Any) -> ColumnElement[Any]:
    """An expression written against a model, re-aimed at an alias or page of its table."""
    clause = expression
    if hasattr(expression, "__clause_element__"):
        clause = expression.__clause_element__()
    return ClauseAdapter(source).traverse(clause)  # type: ignore[no-any-return]


class _Builder:
    def __init__(self, bindings: Bindings) -> None:
        self.bindings = bindings
        self.rules = {name: c.parameterized() for name, c in bindings.rows.items()}
        self.field_rules = {key: c.parameterized() for key, c in bindings.visible.items()}
        self._aliases = 0
        # Root pages (common table expressions), and the grouped lists joined to each.
        self._grouped: dict[FromClause, list[tuple[FromClause, ColumnElement[bool]]]] = {}

    def alias(self, mapping: TypeMapping) -> FromClause:
        # Numbered in plan order, so a plan always yields the same SQL.
        self._aliases += 1
        return mapping.model.__table__.alias(f"t{self._aliases}")  # type: ignore[no-any-return]

    def rows(self, mapping: TypeMapping, source: FromClause) -> ColumnElement[bool]:
        return _adapted(source, self.rules[mapping.name])

    # Root fields.

    def root_value(self, field: RootField, given: RootInput) -> ColumnElement[Any]:
        if isinstance(field, Typename):
            return text_literal(field.name)
        if isinstance(field, RootConnectionField):
            assert isinstance(given, Page)
            return self.root_connection(field, given)
        if isinstance(given, NodeLookup):
            return self.one_row(given.plan, given.plan.mapping.primary_key == given.pk)
        if given is None:
            return null()
        assert isinstance(field, RootObjectField) and isinstance(given, Condition)
        return self.one_row(field.plan, given.parameterized())

    def one_row(self, plan: ObjectPlan, condition: ColumnElement[bool]) -> ColumnElement[Any]:
        source = self.alias(plan.mapping)
        statement = select(self.object_json(plan, source)).select_from(source)
        statement = statement.where(_adapted(source, condition), self.rows(plan.mapping, source))
        return statement.limit(1).scalar_subquery()

    # Objects.

    def object_json(self, plan: ObjectPlan, source: FromClause) -> ColumnElement[Any]:
        return _object((f.key, self.field_value(plan.mapping, f, source)) for f in plan.fields)

    def field_value(
        self, mapping: TypeMapping, field: ObjectField, source: FromClause
    ) -> ColumnElement[Any]:
        if isinstance(field, Typename):
            return text_literal(field.name)
        if isinstance(field, GlobalId):
            return global_id(field.type_name, _adapted(source, mapping.primary_key))
        if isinstance(field, Scalar):
            return self.scalar(field, source)
        if isinstance(field, NestedConnection):
            return self.nested_connection(field, source)
        if isinstance(field.relation, Embedded):
            return self.object_json(field.plan, source)
        target = registry.TYPES[field.relation.target]
        related = self.alias(target)
        tables, child_key = self.joined(field.relation, related)
        parent_key = _adapted(source, field.relation.parent_key)
        conditions = (child_key == parent_key, self.rows(target, related))
        if isinstance(field.relation, Many | Linked):
            order = [_adapted(related, key) for key in field.relation.order]
            items = func.json_agg(in_order(self.object_json(field.plan, related), *order))
            if source in self._grouped:
                rows = conditions[1]
                return self.grouped_list(source, parent_key, tables, child_key, items, rows)
            listed = func.coalesce(items, EMPTY_LIST)
            return select(listed).select_from(tables).where(*conditions).scalar_subquery()
        value = self.object_json(field.plan, related)
        return select(value).select_from(tables).where(*conditions).limit(1).scalar_subquery()

    def grouped_list(
        self,
        page: FromClause,
        parent_key: ColumnElement[Any],
        tables: FromClause,
        key: ColumnElement[Any],
        items: ColumnElement[Any],
        rows: ColumnElement[bool],
    ) -> ColumnElement[Any]:
        """A list under a root page's rows, for all of them at once: the related rows of the
        page's keys, grouped by key, joined to the page. (A correlated subquery per row costs
        an executor re-scan each: most of a 50-row page's time.)"""
        self._aliases += 1
        grouped = (
            select(key.label("key"), items.label("items"))
            .select_from(tables)
            .where(rows, key.in_(select(parent_key)))
            .group_by(key)
            .subquery(f"g{self._aliases}")
        )
        self._grouped[page].append((grouped, grouped.c.key == parent_key))
        return func.coalesce(grouped.c["items"], EMPTY_LIST)

    def joined(
        self, relation: One | Many | Linked, related: FromClause
    ) -> tuple[FromClause, ColumnElement[Any]]:
        """The tables a relation reads, and the column in them that equals the parent's key.
        A link table is joined in FROM, so the condition refers to the parent one level up, as
        any other."""
        if not isinstance(relation, Linked):
            return related, _adapted(related, relation.target_key)
        self._aliases += 1
        link = relation.link_parent.table.alias(f"t{self._aliases}")
        on = _adapted(link, relation.link_target) == _adapted(related, relation.target_key)
        return related.join(link, on), _adapted(link, relation.link_parent)

    def scalar(self, field: Scalar, source: FromClause) -> ColumnElement[Any]:
        value = self.column(field.column, source)
        if field.is_datetime:
            zone = field.column.zone
            return iso_datetime(value, None if zone is None else self.per_viewer(zone, source))
        if field.enum_names:
            names = {stored: text_literal(name) for stored, name in field.enum_names.items()}
            return case(*((value == text_literal(s), n) for s, n in names.items()))
        return value

    def column(self, column: Column, source: FromClause) -> ColumnElement[Any]:
        return self.shown(column.visible, _adapted(source, column.attribute), source)

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
        return case((_adapted(source, visible), value))

    def per_viewer(self, given: ViewerExpression, source: FromClause) -> ColumnElement[Any]:
        return _adapted(source, self.field_rules[id(given)])

    # Relay connections.

    def root_connection(self, field: RootConnectionField, given: Page) -> ColumnElement[Any]:
        mapping = registry.TYPES[field.root.target]
        conditions = [self.rules[mapping.name], *(c.parameterized() for c in given.conditions)]
        grouping = any(isinstance(f.relation, Many | Linked) for f in _related(field.fields))
        page = self.page(mapping, field.root.order, conditions, given, grouping=grouping)
        return self.connection_json(field.fields, mapping, conditions, page)

    def nested_connection(self, field: NestedConnection, source: FromClause) -> ColumnElement[Any]:
        """The parent row's page, taken in a derived table correlated to the parent."""
        relation = field.relation
        mapping = registry.TYPES[relation.target]
        join = relation.target_key == _adapted(source, relation.parent_key)
        conditions = [self.rules[mapping.name], join]
        given = self.bindings.nested[id(field)]
        page = self.page(mapping, relation.order, conditions, given, parent=source)
        value = self.connection_json(field.fields, mapping, conditions, page)
        return self.shown(relation.visible, value, source)

    def connection_json(
        self,
        fields: tuple[ConnectionField, ...],
        mapping: TypeMapping,
        conditions: list[ColumnElement[bool]],
        page: _Page,
    ) -> ColumnElement[Any]:
        parts = [
            (part.key, self.connection_part(part, mapping, conditions, page)) for part in fields
        ]
        statement = select(_object(parts))
        if any(_reads_page(part) for part in fields):
            rows = page.subquery
            for grouped, on in self._grouped.get(page.subquery, []):
                rows = rows.outerjoin(grouped, on)  # one row or none per key: no rows added
            statement = statement.select_from(rows)
        return statement.scalar_subquery()

    def page(
        self,
        mapping: TypeMapping,
        order: tuple[Any, ...],
        conditions: list[ColumnElement[bool]],
        given: Page,
        parent: FromClause | None = None,
        grouping: bool = False,
    ) -> _Page:
        source = self.alias(mapping)
        keys = [_adapted(source, key) for key in order]
        where = [_adapted(source, condition) for condition in conditions]
        if given.after is not None:
            where.append(tuple_(*keys) > tuple_(*given.after))
        numbered = func.row_number().over(order_by=keys).label(ROW_NUMBER)
        statement = select(*source.c, numbered).where(*where).order_by(*keys).limit(given.limit)
        self._aliases += 1
        if grouping:
            # A root page with lists under its rows is a common table expression, so that the
            # lists can be read for all of its keys at once (grouped_list).
            rows = statement.cte(f"p{self._aliases}")
            self._grouped[rows] = []
            return _Page(rows, order, given, parent)
        # A derived table is not correlated on its own: it would join the parent's table.
        statement = statement.correlate(parent)
        return _Page(statement.subquery(f"p{self._aliases}"), order, given, parent)

    def connection_part(
        self,
        part: ConnectionField,
        mapping: TypeMapping,
        conditions: list[ColumnElement[bool]],
        page: _Page,
    ) -> ColumnElement[Any]:
        if isinstance(part, Typename):
            return text_literal(part.name)
        if isinstance(part, TotalCount):
            return self.total_count(mapping, conditions, page.parent)
        if isinstance(part, PageInfo):
            return _object((flag.key, page.flag(flag)) for flag in part.fields)
        return page.edges(part, lambda plan: self.object_json(plan, page.subquery))

    def total_count(
        self,
        mapping: TypeMapping,
        conditions: list[ColumnElement[bool]],
        parent: FromClause | None,
    ) -> ColumnElement[Any]:
        source = self.alias(mapping)
        where = [_adapted(source, condition) for condition in conditions]
        counted = select(func.count()).select_from(source).where(*where)
        if parent is not None:
            counted = counted.correlate(parent)  # two levels below it: not found on its own
        return counted.scalar_subquery()


class _Page:
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

    def cursor(self) -> ColumnElement[str]:
        return cursor([_adapted(self.subquery, key) for key in self.order])

    def edges(self, part: Edges, node_json: Any) -> ColumnElement[Any]:
        pairs = []
        for field in part.fields:
            if isinstance(field, Typename):
                pairs.append((field.key, text_literal(field.name)))
            elif isinstance(field, Cursor):
                pairs.append((field.key, self.cursor()))
            elif isinstance(field, EdgeNode):
                pairs.append((field.key, node_json(field.plan)))
        items = func.json_agg(in_order(_object(pairs), self.number)).filter(self.visible)
        return func.coalesce(items, EMPTY_LIST)

    def flag(self, flag: Typename | PageFlag) -> ColumnElement[Any]:
        if isinstance(flag, Typename):
            return text_literal(flag.name)
        if flag.name == "hasNextPage":
            return func.count() > self.given.first
        if flag.name == "hasPreviousPage":
            return true() if self.given.after is not None else false()
        direction = self.number if flag.name == "startCursor" else self.number.desc()
        cursors = func.array_agg(in_order(self.cursor(), direction), type_=ARRAY(Text))
        return cursors.filter(self.visible)[1]


def _related(fields: tuple[ConnectionField, ...]) -> list[Related]:
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

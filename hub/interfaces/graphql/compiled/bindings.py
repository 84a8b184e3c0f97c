"""What one request brings to a plan's SQL: the viewer's row and field rules and the arguments'
conditions, with every value they hold moved into a bind parameter under a fixed name.

The shape (the rules' and conditions' structure without their values) picks the statement
built for an earlier request of the same shape, so a repeated query builds no SQL at all:
it costs the rules' evaluation and a dictionary of values.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

from graphql.execution.values import VariableValues, get_argument_values
from sqlalchemy import BindParameter, ColumnElement, Integer, bindparam
from sqlalchemy.sql.visitors import ExternallyTraversible, replacement_traverse

from hub.access.auth.viewer import Viewer
from hub.infrastructure.config import Settings
from hub.infrastructure.pagination import InvalidCursor, decode_cursor
from hub.interfaces.graphql.compiled import registry
from hub.interfaces.graphql.compiled.declarations import (
    Column,
    Embedded,
    TypeMapping,
    ViewerExpression,
)
from hub.interfaces.graphql.compiled.plan import (
    ConnectionField,
    EdgeNode,
    Edges,
    NestedConnection,
    NodeField,
    NotCompiled,
    ObjectPlan,
    Plan,
    Related,
    RootConnectionField,
    RootListField,
    RootObjectField,
    RootValueField,
    Scalar,
)
from hub.interfaces.graphql.node import from_global_id


@dataclass(frozen=True)
class Condition:
    """A where-clause from a rule, and the names its values are bound under."""

    clause: ColumnElement[Any]
    names: dict[int, tuple[str, BindParameter[Any]]]

    def parameterized(self) -> ColumnElement[Any]:
        def named(element: ExternallyTraversible) -> BindParameter[Any] | None:
            found = self.names.get(id(element))
            if found is None:
                return None
            name, original = found
            return bindparam(name, type_=original.type, expanding=original.expanding)

        return replacement_traverse(self.clause, {}, named)  # type: ignore[call-overload]


@dataclass(frozen=True)
class Page:
    conditions: list[Condition]
    order: tuple[Any, ...]
    first: BindParameter[int]
    limit: BindParameter[int]
    after: list[BindParameter[Any]] | None


@dataclass(frozen=True)
class NodeLookup:
    plan: ObjectPlan
    pk: BindParameter[int]


@dataclass(frozen=True)
class Listing:
    """A root list's conditions, besides its target's row rule."""

    conditions: list[Condition]


@dataclass(frozen=True)
class Decided:
    """A root value the viewer decides: part of the shape, so written into the SQL."""

    value: bool


RootInput = Page | Condition | NodeLookup | Listing | Decided | None


@dataclass
class Bindings:
    viewer: Viewer
    settings: Settings
    variables: VariableValues
    params: dict[str, Any] = field(default_factory=dict)
    shape: list[Hashable] = field(default_factory=list)
    rows: dict[str, Condition] = field(default_factory=dict)
    # Field rules and zones, by id of the function that gives them for a viewer.
    visible: dict[int, Condition] = field(default_factory=dict)
    roots: list[RootInput] = field(default_factory=list)
    nested: dict[int, Page] = field(default_factory=dict)  # by id of the NestedConnection

    def condition(self, clause: ColumnElement[Any]) -> Condition:
        cache_key = clause._generate_cache_key()
        if cache_key is None:
            raise NotCompiled("a rule SQLAlchemy cannot cache")
        self.shape.append(cache_key.key)
        names: dict[int, tuple[str, BindParameter[Any]]] = {}
        for parameter in cache_key.bindparams:
            name = self.value_name(parameter.effective_value)
            names.setdefault(id(parameter), (name, parameter))
        return Condition(clause, names)

    def value(self, value: Any, type_: Any = None) -> BindParameter[Any]:
        return bindparam(self.value_name(value), type_=type_)

    def value_name(self, value: Any) -> str:
        name = f"v{len(self.params)}"
        self.params[name] = value
        return name


def bind(plan: Plan, viewer: Viewer, variables: VariableValues, settings: Settings) -> Bindings:
    """The request's conditions and values, in plan order; NotCompiled when its arguments
    would make the normal path answer an error (a bad cursor or id, `first` out of bounds)."""
    bindings = Bindings(viewer, settings, variables)
    for root in plan.fields:
        bindings.roots.append(_root_input(bindings, root))
    return bindings


def _root_input(bindings: Bindings, root: Any) -> RootInput:
    if isinstance(root, RootValueField):
        decided = Decided(bool(root.root.value(bindings.viewer)))
        bindings.shape.append(("value", decided.value))
        return decided
    if not isinstance(root, RootConnectionField | RootObjectField | RootListField | NodeField):
        bindings.shape.append("typename")
        return None
    arguments = get_argument_values(root.definition, root.node, bindings.variables)
    if isinstance(root, NodeField):
        return _node_lookup(bindings, root, arguments["id"])
    if isinstance(root, RootObjectField):
        condition = root.root.where(bindings.viewer, arguments)
        bindings.shape.append(condition is None)
        _bind_rules(bindings, root.plan)
        return None if condition is None else bindings.condition(condition)
    if isinstance(root, RootListField):
        clauses = root.root.where(bindings.viewer, arguments)
        bindings.shape.append(("list", len(clauses)))
        _bind_rules(bindings, root.plan)
        return Listing([bindings.condition(clause) for clause in clauses])
    return _page(bindings, root, arguments)


def _node_lookup(bindings: Bindings, root: NodeField, global_id: str) -> NodeLookup:
    try:
        type_name, pk = from_global_id(global_id)
    except ValueError as error:  # InvalidGlobalId, or a bare one for non-ASCII text
        raise NotCompiled("a malformed global id") from error
    plan = root.plans.get(type_name)
    if not isinstance(plan, ObjectPlan):
        raise NotCompiled(plan or f"node of unmapped type {type_name}")
    bindings.shape.append(type_name)
    _bind_rules(bindings, plan)
    return NodeLookup(plan, bindings.value(pk, Integer()))


def _page(bindings: Bindings, root: RootConnectionField, arguments: dict[str, Any]) -> Page:
    ordered_by, order = root.root.ordered_by(arguments)
    first, after = _page_arguments(bindings.settings, arguments, order)
    _bind_rows(bindings, registry.TYPES[root.root.target])
    _bind_rules(bindings, *_node_plans(root.fields))
    clauses = root.root.where(bindings.viewer, arguments)
    bindings.shape.append(("page", len(clauses), after is None, ordered_by))
    conditions = [bindings.condition(clause) for clause in clauses]
    return _page_values(bindings, conditions, first, after, order)


def _bind_nested(bindings: Bindings, nested: NestedConnection) -> None:
    """A connection below an object: the same page for every parent row."""
    arguments = get_argument_values(nested.definition, nested.node, bindings.variables)
    relation = nested.relation
    first, after = _page_arguments(bindings.settings, arguments, relation.order)
    _bind_viewer_expression(bindings, relation.visible)
    _bind_rows(bindings, registry.TYPES[relation.target])
    _bind_rules(bindings, *_node_plans(nested.fields))
    clauses = relation.where(bindings.viewer, arguments)
    bindings.shape.append(("nested page", len(clauses), after is None))
    conditions = [bindings.condition(clause) for clause in clauses]
    bindings.nested[id(nested)] = _page_values(bindings, conditions, first, after, relation.order)


def _page_arguments(
    settings: Settings, arguments: dict[str, Any], order: tuple[Any, ...]
) -> tuple[int, list[Any] | None]:
    """`first` (or the default) and the decoded `after`; NotCompiled where the normal path's
    page_request or cursor decoding would answer an error."""
    first = arguments.get("first")
    first = settings.default_page_size if first is None else first
    if not 0 <= first <= settings.max_page_size:
        raise NotCompiled("`first` out of bounds")
    return first, _cursor_values(arguments.get("after"), order)


def _page_values(
    bindings: Bindings,
    conditions: list[Condition],
    first: int,
    after: list[Any] | None,
    order: tuple[Any, ...],
) -> Page:
    after_values = None
    if after is not None:
        after_values = [bindings.value(v, k.type) for v, k in zip(after, order, strict=True)]
    return Page(
        conditions,
        order,
        bindings.value(first, Integer()),
        bindings.value(first + 1, Integer()),
        after_values,
    )


def _node_plans(fields: tuple[ConnectionField, ...]) -> list[ObjectPlan]:
    return [
        part.plan
        for edges in fields
        if isinstance(edges, Edges)
        for part in edges.fields
        if isinstance(part, EdgeNode)
    ]


def _cursor_values(after: str | None, order: tuple[Any, ...]) -> list[Any] | None:
    if after is None:
        return None
    try:
        return decode_cursor(after, order)
    except InvalidCursor as error:
        raise NotCompiled("a malformed cursor") from error


def _bind_rules(bindings: Bindings, *plans: ObjectPlan) -> None:
    """The row rule of every type the plans read, and the field rule of every private field,
    evaluated once for this viewer."""
    for plan in plans:
        _bind_rows(bindings, plan.mapping)
        for field_plan in plan.fields:
            if isinstance(field_plan, Scalar):
                _bind_column_rules(bindings, field_plan.column)
            elif isinstance(field_plan, Related):
                if isinstance(field_plan.relation, Embedded):
                    _bind_viewer_expression(bindings, field_plan.relation.visible)
                _bind_rules(bindings, field_plan.plan)
            elif isinstance(field_plan, NestedConnection):
                _bind_nested(bindings, field_plan)


def _bind_rows(bindings: Bindings, mapping: TypeMapping) -> None:
    if mapping.name not in bindings.rows:
        bindings.rows[mapping.name] = bindings.condition(mapping.rows(bindings.viewer))


def _bind_column_rules(bindings: Bindings, column: Column) -> None:
    _bind_viewer_expression(bindings, column.visible)
    _bind_viewer_expression(bindings, column.zone)


def _bind_viewer_expression(bindings: Bindings, given: ViewerExpression | None) -> None:
    if given is not None and id(given) not in bindings.visible:
        bindings.visible[id(given)] = bindings.condition(given(bindings.viewer))

"""What a query costs, computed from the validated document before it runs.

As in GitHub's GraphQL API, page sizes multiply down the selection: `organizations(first: 10)`
may return 10 objects, and a list of 50 under each of them 10 times 50 more. A list without
`first` counts at the default page size; the lists inside a connection (`edges`) are the
connection's own page. The query costs one point per 100 objects it may return, at least one.
Introspection (`__schema`, `__type`) is free, so tools such as GraphiQL keep working.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLList,
    GraphQLNamedType,
    GraphQLSchema,
    InlineFragmentNode,
    SelectionSetNode,
    get_named_type,
    get_nullable_type,
    is_composite_type,
)
from graphql.utilities import get_operation_ast, value_from_ast_untyped

OBJECTS_PER_POINT = 100


@dataclass(frozen=True)
class PageSizes:
    default: int
    maximum: int


@dataclass(frozen=True)
class _Walk:
    schema: GraphQLSchema
    fragments: dict[str, FragmentDefinitionNode]
    variables: dict[str, Any]
    sizes: PageSizes


def points_for(objects: int) -> int:
    return max(1, math.ceil(objects / OBJECTS_PER_POINT))


def objects_returned(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: dict[str, Any] | None,
    sizes: PageSizes,
) -> int:
    """How many objects the operation may return at most."""
    operation = get_operation_ast(document, operation_name)
    root = schema.get_root_type(operation.operation) if operation else None
    if operation is None or root is None:
        return 0
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    walk = _Walk(schema, fragments, variables or {}, sizes)
    return _objects(walk, root, operation.selection_set, 1)


def _objects(
    walk: _Walk, parent: GraphQLNamedType, selections: SelectionSetNode, multiplier: int
) -> int:
    total = 0
    for selection in selections.selections:
        if isinstance(selection, FieldNode):
            total += _field_objects(walk, parent, selection, multiplier)
        elif isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition
            inner = walk.schema.get_type(condition.name.value) if condition else parent
            total += _objects(walk, inner or parent, selection.selection_set, multiplier)
        elif isinstance(selection, FragmentSpreadNode):
            fragment = walk.fragments.get(selection.name.value)
            inner = walk.schema.get_type(fragment.type_condition.name.value) if fragment else None
            if fragment is not None and inner is not None:
                total += _objects(walk, inner, fragment.selection_set, multiplier)
    return total


def _field_objects(walk: _Walk, parent: GraphQLNamedType, node: FieldNode, multiplier: int) -> int:
    name = node.name.value
    field = getattr(parent, "fields", {}).get(name)
    if name.startswith("__") or field is None:
        return 0
    size = _page_size(walk, parent, field, node)
    inner = multiplier if size is None else multiplier * size
    own = 0 if size is None else inner
    child_type = get_named_type(field.type)
    if node.selection_set is None or not is_composite_type(child_type):
        return own
    return own + _objects(walk, child_type, node.selection_set, inner)


def _page_size(
    walk: _Walk, parent: GraphQLNamedType, field: GraphQLField, node: FieldNode
) -> int | None:
    """How many items the field may return, or None when it returns one object."""
    if "first" in field.args:
        return _first(walk, node)
    is_list = isinstance(get_nullable_type(field.type), GraphQLList)
    if not is_list or not is_composite_type(get_named_type(field.type)):
        return None
    if "pageInfo" in getattr(parent, "fields", {}):
        return None  # a connection's edges: counted by the connection's `first`
    return walk.sizes.default


def _first(walk: _Walk, node: FieldNode) -> int:
    argument = next((a for a in node.arguments or () if a.name.value == "first"), None)
    value = value_from_ast_untyped(argument.value, walk.variables) if argument else None
    if not isinstance(value, int) or isinstance(value, bool):
        return walk.sizes.default
    return min(max(value, 0), walk.sizes.maximum)

"""Walking the served schema: every object type reachable from `Query`, by every path up to a
depth (root lists, nested connections and lists, `node(id:)`), with fragments, and what each
role reads there."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    GraphQLField,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    get_named_type,
    is_abstract_type,
    is_leaf_type,
)

MAX_STEPS = 7  # a nested connection costs three (field, edges, node)
PATHS_PER_TYPE = 3
PAGE = 2


@dataclass(frozen=True)
class Step:
    field: str
    type_name: str  # the object type reached (after `... on` for an abstract one)
    arguments: str = ""
    inline: str | None = None


Path = tuple[Step, ...]


def reachable(schema: GraphQLSchema) -> dict[str, list[Path]]:
    """The shortest few paths from Query to every object type, never passing a type twice."""
    query = schema.query_type
    assert query is not None
    found: dict[str, list[Path]] = defaultdict(list)
    frontier: list[tuple[GraphQLObjectType, Path]] = [(query, ())]
    while frontier:
        following: list[tuple[GraphQLObjectType, Path]] = []
        for parent, path in frontier:
            for step, child in _steps(schema, parent):
                if child.name in {s.type_name for s in path} or len(path) >= MAX_STEPS:
                    continue
                longer = (*path, step)
                if len(found[child.name]) < PATHS_PER_TYPE:
                    found[child.name].append(longer)
                following.append((child, longer))
        frontier = following
    return dict(found)


def _steps(
    schema: GraphQLSchema, parent: GraphQLObjectType
) -> Iterator[tuple[Step, GraphQLObjectType]]:
    for name, definition in parent.fields.items():
        target = get_named_type(definition.type)
        # `node(id:)` is walked apart, with the id of every object the admin reached.
        if is_leaf_type(target) or (name == "node" and parent is schema.query_type):
            continue
        arguments = _arguments(definition)
        if arguments is None:
            continue
        if is_abstract_type(target):
            for possible in schema.get_possible_types(target):  # type: ignore[arg-type]
                yield Step(name, possible.name, arguments, possible.name), possible
        elif isinstance(target, GraphQLObjectType):
            yield Step(name, target.name, arguments), target


ARGUMENT_VALUES = {
    "since": '"1970-01-01T00:00:00Z"',
    "first": str(PAGE),
    "onOrBefore": '"2099-12-31"',
}


def _arguments(definition: GraphQLField) -> str | None:
    """Small pages; required arguments from `ARGUMENT_VALUES` or `$variables` of the same
    name; None for a field this walk cannot call."""
    given = []
    for name, argument in definition.args.items():
        if name in ARGUMENT_VALUES:
            given.append(f"{name}: {ARGUMENT_VALUES[name]}")
        elif isinstance(argument.type, GraphQLNonNull):
            given.append(f"{name}: ${name}")
    return f"({', '.join(given)})" if given else ""


def leaves(schema: GraphQLSchema, type_name: str) -> list[str]:
    graphql_type = schema.get_type(type_name)
    assert isinstance(graphql_type, GraphQLObjectType)
    return [n for n, d in graphql_type.fields.items() if is_leaf_type(get_named_type(d.type))]


def document(schema: GraphQLSchema, path: Path, *, named_fragment: bool) -> str:
    """The query reading every leaf field of the path's last type, through a named or an
    inline fragment."""
    target = path[-1].type_name
    selection = " ".join(["__typename", *leaves(schema, target)])
    inner = "...Leaves" if named_fragment else f"... on {target} {{ {selection} }}"
    for step in reversed(path):
        if step.inline:
            inner = f"... on {step.inline} {{ {inner} }}"
        inner = f"{step.field}{step.arguments} {{ {inner} }}"
    variables = sorted({v for s in path for v in _variables(s.arguments)})
    header = (
        f"query ({', '.join(f'${v}: {VARIABLE_TYPES[v]}' for v in variables)})"
        if variables
        else "query"
    )
    fragment = f" fragment Leaves on {target} {{ {selection} }}" if named_fragment else ""
    return f"{header} {{ {inner} }}{fragment}"


VARIABLE_TYPES = {
    "slug": "String!",
    "conveningId": "ID!",
    "meetingId": "ID!",
    "id": "ID!",
    "proposalId": "ID!",
    "token": "String!",
    "code": "String!",
    "input": "RepeatingConveningDatesInput!",  # the only query field taking an input
}


def node_document(schema: GraphQLSchema, type_names: list[str]) -> str:
    """`node(id:)` with a fragment for every Node type: one read per id, whatever its type."""
    parts = " ".join(f"... on {name} {{ {' '.join(leaves(schema, name))} }}" for name in type_names)
    return f"query ($id: ID!) {{ node(id: $id) {{ __typename {parts} }} }}"


def _variables(arguments: str) -> list[str]:
    return [
        part.split("$")[1].rstrip(")").split(",")[0] for part in arguments.split(" ") if "$" in part
    ]


@dataclass
class Reading:
    """What one role read: objects reached by type, non-null values by `Type.field`."""

    reached: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    values: dict[str, list[tuple[str | None, Any]]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def walk(self, data: Any, path: Path, leaf_names: list[str]) -> None:
        objects = [data]
        for step in path:
            objects = [child for o in objects for child in _children(o, step.field)]
            objects = [o for o in objects if o.get("__typename", step.type_name) == step.type_name]
            where = ".".join(s.field for s in path)
            for found in objects:
                self.reached[step.type_name].add(str(found.get("id") or f"(an object at {where})"))
        for found in objects:
            for name in leaf_names:
                if found.get(name) is not None:
                    self.values[f"{path[-1].type_name}.{name}"].append(
                        (found.get("id"), found[name])
                    )


def _children(parent: Any, name: str) -> list[dict[str, Any]]:
    value = parent.get(name) if isinstance(parent, dict) else None
    if value is None:
        return []
    return [v for v in value if v is not None] if isinstance(value, list) else [value]

"""A query plan: the validated selection, resolved against the mappings, with nothing left to
look up but the request's arguments and viewer. Plans are cached and shared, so frozen."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import DocumentNode, FieldNode, GraphQLField, OperationDefinitionNode

from hub.interfaces.graphql.compiled.declarations import (
    Column,
    Embedded,
    Linked,
    Many,
    ManyConnection,
    One,
    RootConnection,
    RootList,
    RootObject,
    RootValue,
    TypeMapping,
    Values,
)


class NotCompiled(Exception):
    """This request goes to the normal path; the message says why (for the coverage test)."""


@dataclass(frozen=True)
class Typename:
    key: str
    name: str


@dataclass(frozen=True)
class GlobalId:
    key: str
    type_name: str


@dataclass(frozen=True)
class Scalar:
    key: str
    column: Column
    # Database value -> the enum's GraphQL name, when they differ (Language: "en" -> "EN").
    enum_names: Mapping[str, str] | None = None
    is_datetime: bool = False


@dataclass(frozen=True)
class Related:
    key: str
    relation: One | Many | Linked | Embedded
    plan: ObjectPlan


@dataclass(frozen=True)
class NestedConnection:
    """A connection below an object (a convening's RSVPs): its page is taken per parent row."""

    key: str
    relation: ManyConnection
    node: FieldNode
    definition: GraphQLField
    fields: tuple[ConnectionField, ...]


@dataclass(frozen=True)
class ScalarList:
    key: str
    values: Values


ObjectField = Typename | GlobalId | Scalar | Related | ScalarList | NestedConnection


@dataclass(frozen=True)
class ObjectPlan:
    mapping: TypeMapping
    fields: tuple[ObjectField, ...]


@dataclass(frozen=True)
class Cursor:
    key: str


@dataclass(frozen=True)
class EdgeNode:
    key: str
    plan: ObjectPlan


@dataclass(frozen=True)
class Edges:
    key: str
    fields: tuple[Typename | Cursor | EdgeNode, ...]


@dataclass(frozen=True)
class PageFlag:
    """One of pageInfo's hasNextPage, hasPreviousPage, startCursor, endCursor."""

    key: str
    name: str


@dataclass(frozen=True)
class PageInfo:
    key: str
    fields: tuple[Typename | PageFlag, ...]


@dataclass(frozen=True)
class TotalCount:
    key: str


ConnectionField = Typename | Edges | PageInfo | TotalCount


@dataclass(frozen=True)
class RootConnectionField:
    key: str
    root: RootConnection
    node: FieldNode
    definition: GraphQLField
    fields: tuple[ConnectionField, ...]


@dataclass(frozen=True)
class RootObjectField:
    key: str
    root: RootObject
    node: FieldNode
    definition: GraphQLField
    plan: ObjectPlan


@dataclass(frozen=True)
class RootListField:
    key: str
    root: RootList
    node: FieldNode
    definition: GraphQLField
    plan: ObjectPlan


@dataclass(frozen=True)
class RootValueField:
    key: str
    root: RootValue


@dataclass(frozen=True)
class NodeField:
    """`node(id:)`: a plan per concrete type, chosen by the global id at run time. A type
    whose selection does not compile maps to the reason, raised only if that type is asked."""

    key: str
    node: FieldNode
    definition: GraphQLField
    plans: Mapping[str, ObjectPlan | str]


RootField = (
    Typename | RootConnectionField | RootObjectField | RootListField | RootValueField | NodeField
)


@dataclass(frozen=True)
class Plan:
    document: DocumentNode
    operation: OperationDefinitionNode
    fields: tuple[RootField, ...]
    # Statements built for this plan, by the shape of the request (see bindings.py).
    statements: dict[tuple[Hashable, ...], Any] = field(default_factory=dict, compare=False)

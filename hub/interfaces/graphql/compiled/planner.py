"""From a document to a plan: parse and validate under the normal path's guards, then resolve
every selected field against the mappings, or say why the query is not compiled."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from graphql import (
    BooleanValueNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLError,
    GraphQLField,
    GraphQLList,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationType,
    SelectionNode,
    SelectionSetNode,
    get_named_type,
    get_nullable_type,
    parse,
    specified_rules,
    validate,
)
from graphql.utilities import get_operation_ast
from strawberry.extensions.max_aliases import create_validator as aliases_validator
from strawberry.extensions.query_depth_limiter import create_validator as depth_validator

from hub.interfaces.graphql.compiled import registry
from hub.interfaces.graphql.compiled.declarations import (
    Column,
    Linked,
    Many,
    ManyConnection,
    RootConnection,
    RootList,
    RootObject,
    RootValue,
    TypeMapping,
    Values,
)
from hub.interfaces.graphql.compiled.plan import (
    ConnectionField,
    Cursor,
    EdgeNode,
    Edges,
    GlobalId,
    NestedConnection,
    NodeField,
    NotCompiled,
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
    RootValueField,
    Scalar,
    ScalarList,
    TotalCount,
    Typename,
)
from hub.interfaces.graphql.extensions import MAX_ALIASES, MAX_DEPTH, MAX_TOKENS, StorableStrings

PAGE_FLAGS = ("hasNextPage", "hasPreviousPage", "startCursor", "endCursor")
PAGE_ARGUMENTS = ("first", "after")
PLAIN_SCALARS = ("String", "Int", "Float", "Boolean", "ID")
# json_build_object takes at most 100 arguments: 50 keys.
MAX_KEYS = 50


def plan_document(schema: GraphQLSchema, text: str, operation_name: str | None) -> Plan:
    """The plan for one operation of a document, or NotCompiled with the reason."""
    document = _valid_document(schema, text)
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        raise NotCompiled("no such operation")
    if operation.operation != OperationType.QUERY:
        raise NotCompiled(f"a {operation.operation.value}")
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    walk = _Walk(schema, fragments)
    query_type = schema.query_type
    assert query_type is not None
    grouped = walk.collect(query_type, [operation.selection_set])
    return Plan(
        document, operation, tuple(walk.root_field(key, nodes) for key, nodes in grouped.items())
    )


def _valid_document(schema: GraphQLSchema, text: str) -> DocumentNode:
    """Parsed and validated exactly as the normal path's extensions do; invalid documents are
    reported by the normal path."""
    try:
        document = parse(text, max_tokens=MAX_TOKENS)
    except GraphQLError as error:
        raise NotCompiled("not parsed") from error
    rules = [
        *specified_rules,
        depth_validator(MAX_DEPTH, None),
        aliases_validator(MAX_ALIASES),
        StorableStrings,
    ]
    if validate(schema, document, rules):
        raise NotCompiled("not valid")
    return document


@dataclass
class _Walk:
    schema: GraphQLSchema
    fragments: dict[str, FragmentDefinitionNode]
    types: Mapping[str, TypeMapping] = field(default_factory=lambda: registry.TYPES)

    def collect(
        self, parent: GraphQLObjectType, selection_sets: list[SelectionSetNode]
    ) -> dict[str, list[FieldNode]]:
        """The fields by response key, in first-seen order, merged as GraphQL executes them."""
        grouped: dict[str, list[FieldNode]] = {}
        visited: set[str] = set()
        for selection_set in selection_sets:
            self._collect_into(grouped, visited, parent, selection_set)
        return grouped

    def _collect_into(
        self,
        grouped: dict[str, list[FieldNode]],
        visited: set[str],
        parent: GraphQLObjectType,
        selection_set: SelectionSetNode,
    ) -> None:
        for selection in selection_set.selections:
            if not _included(selection):
                continue
            if isinstance(selection, FieldNode):
                key = selection.alias.value if selection.alias else selection.name.value
                grouped.setdefault(key, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                if condition is None or self._matches(condition.name.value, parent):
                    self._collect_into(grouped, visited, parent, selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name in visited:
                    continue
                visited.add(name)
                fragment = self.fragments[name]
                if self._matches(fragment.type_condition.name.value, parent):
                    self._collect_into(grouped, visited, parent, fragment.selection_set)

    def _matches(self, condition: str, parent: GraphQLObjectType) -> bool:
        conditional = self.schema.get_type(condition)
        if conditional is parent:
            return True
        return conditional is not None and self.schema.is_sub_type(conditional, parent)  # type: ignore[arg-type]

    def sub_fields(
        self, parent: GraphQLObjectType, nodes: list[FieldNode]
    ) -> dict[str, list[FieldNode]]:
        grouped = self.collect(parent, [n.selection_set for n in nodes if n.selection_set])
        if len(grouped) > MAX_KEYS:
            raise NotCompiled("more keys in one object than json_build_object takes")
        return grouped

    # The root: each field names a root mapping, `node`, or `__typename`.

    def root_field(self, key: str, nodes: list[FieldNode]) -> RootField:
        name = nodes[0].name.value
        query_type = self.schema.query_type
        assert query_type is not None
        if name == "__typename":
            return Typename(key, query_type.name)
        if name.startswith("__"):
            raise NotCompiled("introspection")
        definition = query_type.fields[name]
        if name == "node":
            return NodeField(key, nodes[0], definition, self._node_plans(nodes))
        root = registry.ROOTS.get(name)
        if isinstance(root, RootConnection):
            known = (*PAGE_ARGUMENTS, *root.arguments, *root.orders)
            _only_arguments(nodes[0], known, f"Query.{name}")
            fields = self._connection(root.target, definition, nodes)
            return RootConnectionField(key, root, nodes[0], definition, fields)
        if isinstance(root, RootObject):
            plan = self.object_plan(root.target, _object_type(definition), nodes)
            return RootObjectField(key, root, nodes[0], definition, plan)
        if isinstance(root, RootList):
            _only_arguments(nodes[0], root.arguments, f"Query.{name}")
            plan = self.object_plan(root.target, _object_type(definition), nodes)
            return RootListField(key, root, nodes[0], definition, plan)
        if isinstance(root, RootValue):
            _only_arguments(nodes[0], (), f"Query.{name}")
            return RootValueField(key, root)
        raise NotCompiled(f"Query.{name} is not mapped")

    def _node_plans(self, nodes: list[FieldNode]) -> dict[str, ObjectPlan | str]:
        plans: dict[str, ObjectPlan | str] = {}
        for name in self.types:
            graphql_type = self.schema.get_type(name)
            assert isinstance(graphql_type, GraphQLObjectType)
            if not _is_node(graphql_type):
                continue
            try:
                plans[name] = self.object_plan(name, graphql_type, nodes)
            except NotCompiled as reason:
                plans[name] = str(reason)
        return plans

    # Objects and their fields.

    def object_plan(
        self, type_name: str, graphql_type: GraphQLObjectType, nodes: list[FieldNode]
    ) -> ObjectPlan:
        mapping = self.types.get(type_name)
        if mapping is None or graphql_type.name != type_name:
            raise NotCompiled(f"type {graphql_type.name} is not mapped")
        grouped = self.sub_fields(graphql_type, nodes)
        fields = tuple(
            self._object_field(mapping, graphql_type, key, field_nodes)
            for key, field_nodes in grouped.items()
        )
        return ObjectPlan(mapping, fields)

    def _object_field(
        self,
        mapping: TypeMapping,
        graphql_type: GraphQLObjectType,
        key: str,
        nodes: list[FieldNode],
    ) -> ObjectField:
        name = nodes[0].name.value
        if name == "__typename":
            return Typename(key, graphql_type.name)
        if name == "id" and _is_node(graphql_type):
            return GlobalId(key, mapping.name)
        definition = graphql_type.fields[name]
        declared = mapping.fields.get(name)
        if declared is None:
            raise NotCompiled(f"{mapping.name}.{name} is not mapped")
        if isinstance(declared, ManyConnection):
            known = (*PAGE_ARGUMENTS, *declared.arguments)
            _only_arguments(nodes[0], known, f"{mapping.name}.{name}")
            fields = self._connection(declared.target, definition, nodes)
            return NestedConnection(key, declared, nodes[0], definition, fields)
        if definition.args:
            raise NotCompiled(f"{mapping.name}.{name} takes arguments")
        if isinstance(declared, Column):
            return _scalar(key, declared, definition)
        if isinstance(declared, Values):
            return ScalarList(key, declared)
        target_type = _object_type(definition)
        if isinstance(declared, Many | Linked) != isinstance(
            get_nullable_type(definition.type), GraphQLList
        ):
            raise NotCompiled(f"{mapping.name}.{name} is mapped with another cardinality")
        return Related(key, declared, self.object_plan(declared.target, target_type, nodes))

    # Relay connections: edges { cursor node }, pageInfo, totalCount.

    def _connection(
        self, target: str, definition: GraphQLField, nodes: list[FieldNode]
    ) -> tuple[ConnectionField, ...]:
        connection_type = _object_type(definition)
        grouped = self.sub_fields(connection_type, nodes)
        return tuple(
            self._connection_field(target, connection_type, key, field_nodes)
            for key, field_nodes in grouped.items()
        )

    def _connection_field(
        self, target: str, connection_type: GraphQLObjectType, key: str, nodes: list[FieldNode]
    ) -> ConnectionField:
        name = nodes[0].name.value
        if name == "__typename":
            return Typename(key, connection_type.name)
        if name == "totalCount":
            return TotalCount(key)
        field_type = _object_type(connection_type.fields[name])
        grouped = self.sub_fields(field_type, nodes)
        if name == "pageInfo":
            return PageInfo(key, tuple(_page_flag(k, n, field_type) for k, n in grouped.items()))
        if name == "edges":
            parts = (self._edge_field(target, field_type, k, n) for k, n in grouped.items())
            return Edges(key, tuple(parts))
        raise NotCompiled(f"{connection_type.name}.{name} is not mapped")

    def _edge_field(
        self, target: str, edge_type: GraphQLObjectType, key: str, nodes: list[FieldNode]
    ) -> Typename | Cursor | EdgeNode:
        name = nodes[0].name.value
        if name == "__typename":
            return Typename(key, edge_type.name)
        if name == "cursor":
            return Cursor(key)
        node_type = _object_type(edge_type.fields["node"])
        return EdgeNode(key, self.object_plan(target, node_type, nodes))


def _included(selection: SelectionNode) -> bool:
    """Literal @skip/@include decide here; a variable's value would make the plan depend on
    the request, so such documents go to the normal path."""
    included = True
    for directive in selection.directives or ():
        name = directive.name.value
        if name not in ("skip", "include"):
            raise NotCompiled(f"the @{name} directive")
        value = (directive.arguments or ())[0].value
        if not isinstance(value, BooleanValueNode):
            raise NotCompiled(f"@{name} with a variable")
        included = included and (value.value if name == "include" else not value.value)
    return included


def _only_arguments(node: FieldNode, known: tuple[str, ...], where: str) -> None:
    """A field given an argument its mapping does not read is not compiled: its answer would
    ignore the argument (for example a filter added to the schema after the mapping)."""
    for argument in node.arguments or ():
        if argument.name.value not in known:
            raise NotCompiled(f"{where}({argument.name.value}:) is not mapped")


def _is_node(graphql_type: GraphQLObjectType) -> bool:
    return any(interface.name == "Node" for interface in graphql_type.interfaces)


def _object_type(definition: GraphQLField) -> GraphQLObjectType:
    named = get_named_type(definition.type)
    if not isinstance(named, GraphQLObjectType):
        raise NotCompiled(f"a field of abstract type {named.name}")
    return named


def _scalar(key: str, column: Column, definition: GraphQLField) -> Scalar:
    named = get_named_type(definition.type)
    is_list = isinstance(get_nullable_type(definition.type), GraphQLList)
    if isinstance(named, GraphQLEnumType):
        names = {_database_value(value.value): name for name, value in named.values.items()}
        if all(value == name for value, name in names.items()):
            return Scalar(key, column)
        if is_list:
            raise NotCompiled(f"a list of {named.name} stored under other names")
        return Scalar(key, column, enum_names=names)
    if named.name == "DateTime" and not is_list:
        return Scalar(key, column, is_datetime=True)
    if named.name in PLAIN_SCALARS:
        return Scalar(key, column)
    raise NotCompiled(f"the scalar {named.name}")


def _database_value(value: object) -> str:
    return str(getattr(value, "value", value))


def _page_flag(
    key: str, nodes: list[FieldNode], page_info_type: GraphQLObjectType
) -> Typename | PageFlag:
    name = nodes[0].name.value
    if name == "__typename":
        return Typename(key, page_info_type.name)
    if name not in PAGE_FLAGS:
        raise NotCompiled(f"PageInfo.{name} is not mapped")
    return PageFlag(key, name)

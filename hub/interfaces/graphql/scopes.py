"""Refuses, before anything runs, an operation the API client's scopes do not allow."""

from __future__ import annotations

from collections.abc import AsyncIterator

from graphql import ExecutionResult, FieldNode, GraphQLError, OperationDefinitionNode
from strawberry.extensions import SchemaExtension

from hub.access.permissions import Forbidden
from hub.access.permissions.clients import require_operation_allowed
from hub.interfaces.graphql.context import Context


class ClientScopes(SchemaExtension):
    async def on_execute(self) -> AsyncIterator[None]:  # type: ignore[override]
        context: Context = self.execution_context.context
        operation = self.execution_context.operation_type.value
        try:
            require_operation_allowed(context.viewer, operation, self._root_fields())
        except Forbidden as refusal:
            error = GraphQLError(str(refusal), extensions={"code": refusal.code})
            self.execution_context.result = ExecutionResult(data=None, errors=[error])
        yield

    def _root_fields(self) -> frozenset[str]:
        """The operation's top-level field names; a fragment at the top level counts as an
        unknown name, so an allow-list check over these fails closed."""
        document = self.execution_context.graphql_document
        wanted = self.execution_context.operation_name
        for definition in document.definitions if document else ():
            if isinstance(definition, OperationDefinitionNode) and (
                wanted is None or (definition.name and definition.name.value == wanted)
            ):
                return frozenset(
                    s.name.value if isinstance(s, FieldNode) else "…"
                    for s in definition.selection_set.selections
                )
        return frozenset()

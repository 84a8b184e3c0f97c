"""Schema extensions: the unit of work, error shaping, and guards against costly queries."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterator
from functools import partial
from typing import Any

from graphql import (
    ExecutionResult,
    GraphQLError,
    OperationDefinitionNode,
    StringValueNode,
    ValidationRule,
)
from sqlalchemy.exc import SQLAlchemyError
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)
from strawberry.types.graphql import OperationType

from hub.common.text import (
    MAX_NESTING,
    UNSTORABLE_TEXT,
    NestedTooDeep,
    is_storable_text,
    storable_throughout,
)
from hub.interfaces.graphql.budget import Budget
from hub.interfaces.graphql.context import Context
from hub.interfaces.graphql.errors import UNEXPECTED_MESSAGE, shaped
from hub.interfaces.graphql.scopes import ClientScopes

log = logging.getLogger("hub.interfaces.graphql")

MAX_DEPTH = 12  # a Relay list costs two levels (edges, node): depth 12 is five relations deep
MAX_ALIASES = 15
MAX_TOKENS = 2000
SEVERAL_OPERATIONS = "Must provide operation name if query contains multiple operations."


class UnitOfWork(SchemaExtension):
    """Commits the request's session once, after execution. Each mutation has already undone
    itself if refused (hub.interfaces.graphql.mutation.MutationUnit); a mutation document whose
    answer is lost (`data` null: a refused mutation's error reached the root) stores nothing, since
    no payload reports anything."""

    async def on_operation(self) -> AsyncIterator[None]:  # type: ignore[override]
        yield
        context: Context = self.execution_context.context
        result = self.execution_context.result
        is_mutation = self.execution_context.operation_type == OperationType.MUTATION
        if is_mutation and (result is None or result.data is None):
            await context.session.rollback()
            return
        try:
            await context.session.commit()
        except SQLAlchemyError:
            # The answer is already computed; a failed commit must not leave the connection
            # mid-transaction for the next request. Reported as an unexpected error.
            log.exception("commit failed after a %s", self.execution_context.operation_type)
            await context.session.rollback()
            if result is not None:
                result.data = None
                result.errors = [
                    GraphQLError(UNEXPECTED_MESSAGE, extensions={"code": "INTERNAL_SERVER_ERROR"})
                ]


class StorableStrings(ValidationRule):
    """Refuses string literals no database can store (a NUL written as `\\u0000`)."""

    def enter_string_value(self, node: StringValueNode, *_args: Any) -> None:
        if not is_storable_text(node.value):
            self.report_error(
                GraphQLError(UNSTORABLE_TEXT, node, extensions={"code": "BAD_USER_INPUT"})
            )


class StorableVariables(SchemaExtension):
    """Refuses variables holding text no database can store, whoever runs the document (the
    pages run theirs with form values). Over HTTP the edge has refused them already
    (hub.interfaces.web.graphql_body), before either read path."""

    def on_operation(self) -> Iterator[None]:
        try:
            storable = storable_throughout(self.execution_context.variables or {}, MAX_NESTING)
        except NestedTooDeep:
            storable = False
        if not storable:
            error = GraphQLError(UNSTORABLE_TEXT, extensions={"code": "BAD_USER_INPUT"})
            self.execution_context.result = ExecutionResult(data=None, errors=[error])
        yield


class OneOperationOrAName(SchemaExtension):
    """A document of several operations must name the one to run (GraphQL over HTTP); without
    this, strawberry runs the first."""

    def on_parse(self) -> Iterator[None]:
        yield
        context: Context = self.execution_context.context
        document = self.execution_context.graphql_document
        if context.operation_name_given or document is None:
            return
        operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        if len(operations) > 1:
            raise GraphQLError(SEVERAL_OPERATIONS, extensions={"code": "BAD_REQUEST"})


class ErrorShaping(SchemaExtension):
    def on_operation(self):  # type: ignore[no-untyped-def]
        yield
        result = self.execution_context.result
        if result is not None and getattr(result, "errors", None):
            result.errors = [shaped(error) for error in result.errors or []]


# The guards' rules, made once: QueryDepthLimiter and MaxAliasesLimiter make a new rule class
# per instance, and an extension is instantiated per request, so the rules would differ on
# every request and ValidationCache (keyed on them) would validate every document again.
GUARD_RULES = [
    *QueryDepthLimiter(max_depth=MAX_DEPTH).validation_rules,
    *MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules,
    StorableStrings,
]


def schema_extensions() -> list[Callable[[], SchemaExtension] | type[SchemaExtension]]:
    return [
        partial(AddValidationRules, GUARD_RULES),
        partial(MaxTokensLimiter, max_token_count=MAX_TOKENS),
        OneOperationOrAName,
        StorableVariables,
        partial(ParserCache, maxsize=256),
        partial(ValidationCache, maxsize=256),
        ErrorShaping,
        UnitOfWork,
        ClientScopes,
        Budget,
    ]

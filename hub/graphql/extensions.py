"""Schema extensions: the unit of work, error shaping, and guards against costly queries."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from functools import partial
from typing import Any

from graphql import GraphQLError, StringValueNode, ValidationRule
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

from hub.graphql.budget import Budget
from hub.graphql.context import Context
from hub.graphql.errors import UNEXPECTED_MESSAGE, shaped
from hub.graphql.scopes import ClientScopes
from hub.text import UNSTORABLE_TEXT, is_storable_text

log = logging.getLogger("hub.graphql")

MAX_DEPTH = 12  # a Relay list costs two levels (edges, node): depth 12 is five relations deep
MAX_ALIASES = 15
MAX_TOKENS = 2000


class UnitOfWork(SchemaExtension):
    """Commits the request's session once, after execution. Each mutation has already undone
    itself if refused (hub.graphql.mutation.MutationUnit); a mutation document whose answer
    is lost (`data` null: a refused mutation's error reached the root) stores nothing, since
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
    """Refuses string literals no database can store (a NUL written as `\\u0000`); the same
    text sent as a variable is refused at the HTTP edge (hub.web.graphql_body)."""

    def enter_string_value(self, node: StringValueNode, *_args: Any) -> None:
        if not is_storable_text(node.value):
            self.report_error(
                GraphQLError(UNSTORABLE_TEXT, node, extensions={"code": "BAD_USER_INPUT"})
            )


class ErrorShaping(SchemaExtension):
    def on_operation(self):  # type: ignore[no-untyped-def]
        yield
        result = self.execution_context.result
        if result is not None and getattr(result, "errors", None):
            result.errors = [shaped(error) for error in result.errors or []]


def schema_extensions() -> list[Callable[[], SchemaExtension] | type[SchemaExtension]]:
    return [
        partial(QueryDepthLimiter, max_depth=MAX_DEPTH),
        partial(MaxAliasesLimiter, max_alias_count=MAX_ALIASES),
        partial(MaxTokensLimiter, max_token_count=MAX_TOKENS),
        partial(AddValidationRules, [StorableStrings]),
        partial(ParserCache, maxsize=256),
        partial(ValidationCache, maxsize=256),
        ErrorShaping,
        UnitOfWork,
        ClientScopes,
        Budget,
    ]

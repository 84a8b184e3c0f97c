"""Errors as the API shows them: payload errors a user can fix, and GraphQL errors otherwise."""

from __future__ import annotations

import logging
from typing import Any

import strawberry
from graphql import GraphQLError

from hub.access.permissions import Forbidden
from hub.common.errors import NotFound
from hub.infrastructure.pagination import InvalidCursor, InvalidPageSize
from hub.infrastructure.search import SearchTooLong
from hub.interfaces.graphql.node import InvalidGlobalId

log = logging.getLogger("hub.interfaces.graphql")

UNEXPECTED_MESSAGE = (
    "Unexpected error. It has been logged; please try again or tell the hub's admins."
)

# Exceptions whose message is written for the caller: shown as they are, with a code.
_EXPECTED: dict[type[Exception], str] = {
    InvalidGlobalId: "BAD_USER_INPUT",
    InvalidCursor: "BAD_USER_INPUT",
    InvalidPageSize: "BAD_USER_INPUT",
    SearchTooLong: "BAD_USER_INPUT",
    NotFound: "NOT_FOUND",
}


@strawberry.interface(description="Something in the input the user can fix.")
class UserError:
    field: str | None = strawberry.field(
        description="The input field at fault (camelCase), or null for the input as a whole."
    )
    message: str = strawberry.field(description="What is wrong, in words for a person.")


def error_code(error: Exception) -> str | None:
    if isinstance(error, Forbidden):
        return error.code
    for kind, code in _EXPECTED.items():
        if isinstance(error, kind):
            return code
    return None


def shaped(error: GraphQLError) -> GraphQLError:
    """Keeps expected errors with a code; masks anything unexpected (and logs it in full)."""
    original = error.original_error
    if original is None or isinstance(original, GraphQLError):
        return _with_request_code(error)
    code = error_code(original)
    if code is None:
        log.error("unexpected error in %s", error.path, exc_info=original)
        return _copy(error, UNEXPECTED_MESSAGE, {"code": "INTERNAL_SERVER_ERROR"})
    return _copy(error, str(original), {"code": code})


# A request error (the document or its variables; graphql-core gives them no code) by the start
# of its message: values the caller gave are BAD_USER_INPUT, as for a field's arguments.
_REQUEST_ERROR_CODES = {
    "Syntax Error": "GRAPHQL_PARSE_FAILED",
    "Variable '$": "BAD_USER_INPUT",
    "Expected value of type": "BAD_USER_INPUT",
}


def _with_request_code(error: GraphQLError) -> GraphQLError:
    if error.path is not None or (error.extensions or {}).get("code"):
        return error
    code = next(
        (code for start, code in _REQUEST_ERROR_CODES.items() if error.message.startswith(start)),
        "GRAPHQL_VALIDATION_FAILED",
    )
    return _copy(error, error.message, {**(error.extensions or {}), "code": code})


def _copy(error: GraphQLError, message: str, extensions: dict[str, Any]) -> GraphQLError:
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions=extensions,
    )

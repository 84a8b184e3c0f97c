"""What a GraphQL request must be before either read path looks at it: UTF-8 JSON, nested no
deeper than any document needs, text both databases can store, and an `operationName` when
the document holds several operations (GraphQL over HTTP). Anything else is refused here,
with a 400 and a GraphQL-shaped error saying why, and never reaches a resolver or SQL."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from graphql import GraphQLError, OperationDefinitionNode, parse
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from hub.text import UNSTORABLE_TEXT, is_storable_text

# Variables of the deepest input the schema takes are a few levels deep; this leaves room
# and keeps the walk below (and Python's JSON parser) far from the recursion limit.
MAX_JSON_DEPTH = 32
SEVERAL_OPERATIONS = "Must provide operation name if query contains multiple operations."


class Refused(Exception):
    def __init__(self, message: str, code: str = "BAD_REQUEST") -> None:
        super().__init__(message)
        self.message = message
        self.code = code

    def response(self) -> Response:
        error = {"message": self.message, "extensions": {"code": self.code}}
        return JSONResponse({"errors": [error]}, status_code=400)


async def refused_request(request: Request) -> Response | None:
    """The 400 answer for a request no read path may see, or None. A POSTed body is read here
    (within the request size limit) and kept for the paths that read it next."""
    try:
        if request.method == "POST":
            body = await request.body()
            request.state.compiled_reads_body = body
            if request.headers.get("content-type", "").startswith("application/json"):
                _check(_parsed(body))
        else:
            _check(dict(request.query_params))
    except Refused as refusal:
        return refusal.response()
    return None


def _parsed(body: bytes) -> Any:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise Refused("The request body is not valid UTF-8.") from error
    try:
        return json.loads(text)
    except RecursionError as error:
        raise _too_deep() from error
    except ValueError:
        return None  # not JSON: strawberry says so, as it always has


def _check(request: Any) -> None:
    _check_values(request)
    if isinstance(request, dict) and request.get("operationName") is None:
        query = request.get("query")
        if isinstance(query, str) and _operation_count(query) > 1:
            raise Refused(SEVERAL_OPERATIONS)


def _check_values(value: Any) -> None:
    """Every string (keys too) storable, and no deeper than MAX_JSON_DEPTH; iterative, so a
    deep value costs no recursion."""
    pending: list[tuple[Any, int]] = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if depth > MAX_JSON_DEPTH:
            raise _too_deep()
        if isinstance(item, str):
            if not is_storable_text(item):
                raise Refused(UNSTORABLE_TEXT, "BAD_USER_INPUT")
        elif isinstance(item, dict):
            pending.extend((part, depth + 1) for pair in item.items() for part in pair)
        elif isinstance(item, list):
            pending.extend((part, depth + 1) for part in item)


def _too_deep() -> Refused:
    return Refused(f"The request's JSON is nested more than {MAX_JSON_DEPTH} levels deep.")


@lru_cache(maxsize=256)
def _operation_count(query: str) -> int:
    try:
        document = parse(query, no_location=True)
    except GraphQLError:
        return 0  # not parsed: strawberry reports the syntax error
    return sum(isinstance(d, OperationDefinitionNode) for d in document.definitions)

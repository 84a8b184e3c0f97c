"""What a GraphQL request must be before either read path looks at it: UTF-8 JSON, nested no
deeper than any document needs, and text both databases can store. Anything else is refused
here, with a 400 and a GraphQL-shaped error saying why, and never reaches a resolver or SQL."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from hub.common.text import MAX_NESTING, UNSTORABLE_TEXT, NestedTooDeep, storable_throughout

# Far below the recursion limit of Python's JSON parser.
MAX_JSON_DEPTH = MAX_NESTING


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
                _check_values(_parsed(body))
        else:
            _check_values(dict(request.query_params))
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


def _check_values(value: Any) -> None:
    try:
        storable = storable_throughout(value, MAX_JSON_DEPTH)
    except NestedTooDeep as error:
        raise _too_deep() from error
    if not storable:
        raise Refused(UNSTORABLE_TEXT, "BAD_USER_INPUT")


def _too_deep() -> Refused:
    return Refused(f"The request's JSON is nested more than {MAX_JSON_DEPTH} levels deep.")

"""The GraphQL-over-HTTP media type, for clients that ask for it.

Clients that accept `application/graphql-response+json` get it, and a request error (a
document that did not parse or validate, or bad variables: errors without a path and no
data) answers 400 without a `data` entry, as the GraphQL-over-HTTP specification asks.
Clients that accept only `application/json` keep the classic 200 answers.
"""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import Response

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"


def wants_graphql_response_json(request: Request) -> bool:
    return GRAPHQL_RESPONSE_JSON in request.headers.get("accept", "")


def as_graphql_response_json(response: Response) -> Response:
    body = bytes(response.body)
    status = response.status_code
    # Only a response without data can be a request error; others pass unparsed.
    if body.startswith(b'{"data":null') and status == 200:
        parsed = json.loads(body)
        if all("path" not in error for error in parsed.get("errors", [])):
            del parsed["data"]
            body, status = json.dumps(parsed, separators=(",", ":")).encode(), 400
    adapted = Response(body, status_code=status, media_type=GRAPHQL_RESPONSE_JSON)
    for name, value in response.headers.items():
        if name not in ("content-type", "content-length"):
            adapted.headers.append(name, value)
    return adapted

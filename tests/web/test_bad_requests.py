"""Requests the hub refuses at its edge, each with a clear status and message, never a 500:
oversized, malformed or too deeply nested bodies, ids in URLs it never gave out, and tokens
whose subject names no person it could hold."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
import pytest

from hub.app import create_app
from hub.infrastructure.config import Settings
from tests.factories import create_admin
from tests.graphql.test_bad_input import bad_ids

JSON = {"Content-Type": "application/json"}
QUERY = b'{"query": "{ viewer { id } }"}'
LIMIT = 1_048_576
MAX_JSON_DEPTH = 32


def graphql_error(message: str, code: str = "BAD_REQUEST") -> dict:
    return {"errors": [{"message": message, "extensions": {"code": code}}]}


TOO_LARGE = graphql_error(f"The request body is larger than {LIMIT} bytes.", "PAYLOAD_TOO_LARGE")


async def test_the_default_limit_is_one_mebibyte():
    assert Settings().max_request_bytes == LIMIT
    assert Settings.from_env({"HUB_MAX_REQUEST_BYTES": "2048"}).max_request_bytes == 2048


@pytest.mark.parametrize("path", ["/graphql", "/oauth/token", "/webhooks/sendgrid", "/signin"])
async def test_a_body_declared_too_large_is_refused_unread(http, path):
    read = 0

    async def body() -> AsyncIterator[bytes]:
        nonlocal read
        for _ in range(100):
            read += 1
            yield b"x" * 1_048_576

    response = await http.post(
        path, content=body(), headers={**JSON, "Content-Length": str(100 * 1_048_576)}
    )

    assert (response.status_code, response.json()) == (413, TOO_LARGE)
    assert read <= 1


async def test_a_streamed_body_is_counted_and_refused_at_the_limit(http):
    sent = 0

    async def body() -> AsyncIterator[bytes]:
        nonlocal sent
        for _ in range(100):  # 100 MB without a Content-Length (chunked)
            sent += 1
            yield b" " * 1_048_576

    response = await http.post("/graphql", content=body(), headers=JSON)

    assert (response.status_code, response.json()) == (413, TOO_LARGE)
    assert sent <= 3


async def test_a_body_within_the_limit_is_answered(http):
    padded = QUERY[:-1] + b', "extensions": {"pad": "' + b"x" * (LIMIT - 200) + b'"}}'

    response = await http.post("/graphql", content=padded, headers=JSON)

    assert response.status_code == 200
    assert response.json() == {"data": {"viewer": None}}


BAD_BODIES = {
    "invalid UTF-8": (
        b'{"query": "{ viewer { id } }", "operationName": "\xff"}',
        graphql_error("The request body is not valid UTF-8."),
    ),
    "deeply nested variables": (
        b'{"query": "{ viewer { id } }", "variables": {"a": '
        + b"[" * 100_000
        + b"]" * 100_000
        + b"}}",
        graphql_error(f"The request's JSON is nested more than {MAX_JSON_DEPTH} levels deep."),
    ),
    "nested past the limit": (
        json.dumps({"query": "{ viewer { id } }", "variables": {"a": [[[[[[[[[[[[]]]]]]]]]]]]}})
        .replace("[]", "[" * 40 + "]" * 40)
        .encode(),
        graphql_error(f"The request's JSON is nested more than {MAX_JSON_DEPTH} levels deep."),
    ),
    "a NUL in the query": (
        json.dumps({"query": "{ viewer { id } }\u0000"}).encode(),
        graphql_error(
            "Text may not contain NUL characters or unpaired surrogates.", "BAD_USER_INPUT"
        ),
    ),
    "a lone surrogate in a key": (
        b'{"query": "{ viewer { id } }", "variables": {"\\udc00": 1}}',
        graphql_error(
            "Text may not contain NUL characters or unpaired surrogates.", "BAD_USER_INPUT"
        ),
    ),
}


@pytest.mark.parametrize("body,expected", BAD_BODIES.values(), ids=BAD_BODIES.keys())
async def test_a_malformed_body_is_a_400_that_says_why(http, body, expected):
    response = await http.post("/graphql", content=body, headers=JSON)

    assert (response.status_code, response.json()) == (400, expected)


@pytest.mark.parametrize("bad_id", bad_ids("Convening").values(), ids=bad_ids("Convening").keys())
async def test_a_bad_id_in_a_calendar_or_attendee_url_is_not_found(session, http, gql, bad_id):
    admin = await create_admin(session)
    await session.commit()
    headers = {"Authorization": f"Bearer {gql.token_for(admin)}"}

    for path in (f"/calendar/convenings/{bad_id}.ics", f"/convenings/{bad_id}/attendees.csv"):
        response = await http.get(path.replace("%", "%25").replace("?", "%3F"), headers=headers)

        assert response.status_code in (404, 400), (path, response.status_code)


SUBJECTS = {
    "a number beyond any id": "person:99999999999999999999",
    "one past PostgreSQL's integer": "person:2147483648",
    "a superscript digit": "person:²",
    "a leading zero": "person:01",
    "a sign": "person:+1",
    "no number": "person:",
    "not a person": "spaceship:1",
    "a NUL": "person:1\u0000",
    "a client id with a NUL": "client:hub\u0000",
}


@pytest.mark.parametrize("subject", SUBJECTS.values(), ids=SUBJECTS.keys())
async def test_a_token_whose_subject_is_no_small_integer_is_refused(session, gql, subject):
    await create_admin(session)
    await session.commit()
    token = gql.runtime.signer.issue(subject, 3600)

    response = await gql.post("{ viewer { id } }", token=token)

    assert response.status_code == 401
    assert response.json() == {
        "errors": [
            {
                "message": "The token is not valid for this hub.",
                "extensions": {"code": "UNAUTHENTICATED"},
            }
        ]
    }


async def test_the_limit_is_a_setting(settings):
    small = Settings(**{**settings.__dict__, "max_request_bytes": 64})
    application = create_app(small)
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as client:
            fits = await client.post("/graphql", content=QUERY, headers=JSON)
            too_large = await client.post("/graphql", content=QUERY + b" " * 64, headers=JSON)

    assert fits.status_code == 200
    assert too_large.status_code == 413
    assert too_large.json()["errors"][0]["message"] == "The request body is larger than 64 bytes."

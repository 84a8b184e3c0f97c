"""Each answer names its request: the caller's X-Request-ID when it is a plain token, a new one
otherwise, also in Server-Timing where the answer has one."""

from __future__ import annotations

import pytest

from tests.observability.test_metrics import UPCOMING

GENERATED = 32  # hex digits


@pytest.mark.parametrize("given", ["abc", "req-1.2:3_x", "A" * 128])
async def test_a_plain_token_from_the_caller_is_kept(http, given):
    response = await http.get("/healthz", headers={"X-Request-ID": given})

    assert response.headers["X-Request-ID"] == given


@pytest.mark.parametrize("given", ["", "has space", 'quo"te', "a" * 129, "-leading", "é".encode()])
async def test_anything_else_is_replaced_by_a_new_id(http, given):
    response = await http.get("/healthz", headers={"X-Request-ID": given})

    replaced = response.headers["X-Request-ID"]
    assert replaced != given
    assert len(replaced) == GENERATED and int(replaced, 16) >= 0


async def test_every_request_gets_its_own_id(http):
    first, second = await http.get("/healthz"), await http.get("/no/such/page")

    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]
    assert second.status_code == 404 and len(second.headers["X-Request-ID"]) == GENERATED


async def test_a_refused_body_still_names_its_request(http):
    response = await http.post(
        "/graphql", content=b"x" * 2_000_000, headers={"X-Request-ID": "big-one"}
    )

    assert response.status_code == 413
    assert response.headers["X-Request-ID"] == "big-one"


async def test_the_compiled_paths_server_timing_names_the_request(gql):
    response = await gql.http.post(
        "/graphql", json={"query": UPCOMING}, headers={"X-Request-ID": "timed-7"}
    )

    timing = response.headers["Server-Timing"]
    assert timing.startswith("python;dur=")
    assert timing.endswith(', request;desc="timed-7"')
    assert response.headers["X-Request-ID"] == "timed-7"


async def test_the_normal_path_adds_no_server_timing(http):
    response = await http.get("/healthz", headers={"X-Request-ID": "plain"})

    assert "server-timing" not in response.headers

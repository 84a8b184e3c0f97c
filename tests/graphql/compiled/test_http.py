"""The compiled answer over HTTP looks like the normal one: status, media type (including the
GraphQL-over-HTTP one for clients that ask for it) and the budget's RateLimit headers."""

from __future__ import annotations

import pytest

from tests.graphql.compiled.differential import Directory, Hub

QUERY = {"query": "{ organizations(first: 2) { totalCount edges { node { name } } } }"}
BUDGET_HEADERS = ("ratelimit-limit", "ratelimit-remaining", "ratelimit-reset")


@pytest.mark.parametrize("accept", ["application/json", "application/graphql-response+json"])
async def test_compiled_answers_carry_the_normal_media_type_and_budget_headers(
    accept: str, directory: Directory, compiled_hub: Hub, normal_hub: Hub
):
    headers = {"Accept": accept}
    fast = await compiled_hub.client.post("/graphql", json=QUERY, headers=headers)
    normal = await normal_hub.client.post("/graphql", json=QUERY, headers=headers)

    assert fast.status_code == normal.status_code == 200
    assert fast.headers["content-type"] == normal.headers["content-type"]
    assert fast.headers["content-type"].startswith(accept)
    for name in BUDGET_HEADERS:
        assert name in fast.headers and name in normal.headers
    # Both answers were charged to the same address: the second saw one more point spent.
    assert (
        int(fast.headers["ratelimit-remaining"]) == int(normal.headers["ratelimit-remaining"]) + 1
    )
    assert fast.json() == normal.json()


async def test_a_get_request_goes_to_the_normal_path(directory: Directory, compiled_hub: Hub):
    response = await compiled_hub.client.get("/graphql", params=QUERY)

    assert response.status_code == 200
    assert response.json()["data"]["organizations"]["totalCount"] == 6  # five and the peer's own

"""One request cannot exhaust the server, and failures never leak a stack trace."""

from __future__ import annotations

import logging

import httpx
import strawberry

from hub.app import create_app
from hub.interfaces.graphql.extensions import MAX_ALIASES, MAX_DEPTH, MAX_TOKENS, schema_extensions
from hub.interfaces.graphql.schema import HubSchema


async def test_too_deep_a_query_is_refused_before_it_runs(gql):
    nested = "affiliations { organization { " * 6 + "name" + " } }" * 6
    body = await gql(f"{{ organizations {{ edges {{ node {{ {nested} }} }} }} }}")

    assert (
        body["errors"][0]["message"]
        == f"'anonymous' exceeds maximum operation depth of {MAX_DEPTH}"
    )
    assert "data" not in body or body["data"] is None


async def test_too_many_aliases_are_refused(gql):
    aliases = " ".join(f"a{i}: viewer {{ name }}" for i in range(MAX_ALIASES + 1))
    body = await gql(f"{{ {aliases} }}")

    assert body["errors"][0]["message"] == (
        f"{MAX_ALIASES + 1} aliases found. Allowed: {MAX_ALIASES}"
    )


async def test_too_many_tokens_are_refused(gql):
    fields = " ".join("__typename" for _ in range(MAX_TOKENS))
    body = await gql(f"{{ {fields} }}")

    assert body["errors"][0]["message"].startswith("Syntax Error: Document contains more than")


async def test_a_mutation_over_get_is_refused(http):
    mutation = 'mutation { createPerson(input: {name: "a", email: "a@b.c"}) { errors { code } } }'
    response = await http.get("/graphql", params={"query": mutation})

    assert response.status_code == 400
    assert response.text == "mutations are not allowed when using GET"


async def test_broken_requests_get_a_client_error_never_a_500(http):
    not_json = await http.post(
        "/graphql", content=b"{not json", headers={"content-type": "application/json"}
    )
    no_query = await http.post("/graphql", json={"variables": {}})
    bad_syntax = await http.post("/graphql", json={"query": "{ organizations { "})
    unknown_field = await http.post("/graphql", json={"query": "{ secrets }"})

    assert not_json.status_code == 400
    assert no_query.status_code == 400
    assert bad_syntax.json()["errors"][0]["message"].startswith("Syntax Error")
    assert unknown_field.json()["errors"][0]["message"] == (
        "Cannot query field 'secrets' on type 'Query'."
    )
    for response in (not_json, no_query, bad_syntax, unknown_field):
        assert "Traceback" not in response.text


@strawberry.type
class BrokenQuery:
    @strawberry.field
    def explode(self) -> str:
        raise RuntimeError("database password is hunter2")


async def test_unexpected_errors_are_masked_and_logged(settings, caplog):
    schema = HubSchema(query=BrokenQuery, extensions=schema_extensions())
    app = create_app(settings, schema=schema)
    caplog.set_level(logging.ERROR, logger="hub.interfaces.graphql")
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as client:
            response = await client.post("/graphql", json={"query": "{ explode }"})

    body = response.json()
    assert response.status_code == 200
    assert body["errors"][0]["message"].startswith("Unexpected error.")
    assert body["errors"][0]["extensions"] == {"code": "INTERNAL_SERVER_ERROR"}
    assert "hunter2" not in response.text
    assert "hunter2" in caplog.text


async def test_graphql_response_json_is_answered_when_asked_for(http):
    accept = {"accept": "application/graphql-response+json, application/json;q=0.9"}

    ok = await http.post("/graphql", json={"query": "{ viewer { name } }"}, headers=accept)
    invalid = await http.post("/graphql", json={"query": "{ nope }"}, headers=accept)

    assert ok.status_code == 200
    assert ok.headers["content-type"] == "application/graphql-response+json"
    assert ok.json() == {"data": {"viewer": None}}
    assert invalid.status_code == 400
    assert invalid.headers["content-type"] == "application/graphql-response+json"
    assert invalid.json() == {
        "errors": [
            {
                "message": "Cannot query field 'nope' on type 'Query'.",
                "locations": [{"line": 1, "column": 3}],
                "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"},
            }
        ]
    }

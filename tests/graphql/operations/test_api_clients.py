"""Admins register API clients (the secret answered once, never readable again), list and
revoke them: each audited; bad input per field is refused with nothing written; the same
request key twice registers one client; a revoked client's token stops working."""

from __future__ import annotations

import itertools

from sqlalchemy import func, select

from hub.infrastructure.models import ApiClient, AuditEvent, RequestKey, WebhookSubscription
from hub.infrastructure.models.directory import OrganizationKind
from hub.interfaces.graphql.node import to_global_id
from tests.auth.peers import ask_for_token, client_rows, https_client, register_peer
from tests.factories import create_admin, create_organization

CREATE = """
mutation ($input: CreateApiClientInput!) {
  createApiClient(input: $input) {
    client { id clientId name scopes revokedAt organization { slug } }
    secret
    errors { field code message }
  }
}
"""
REVOKE = """
mutation ($id: ID!) {
  revokeApiClient(input: {id: $id}) { client { name revokedAt } errors { field code } }
}
"""
LIST = """
{ apiClients(first: 10) { totalCount edges { node { id clientId name scopes revokedAt
  organization { slug } webhookSubscriptions { url } } } }
  apiClientScopes { name description } }
"""
PUBLIC = "{ organizations(first: 1) { totalCount } }"
NUMBERS = itertools.count(1)


async def arranged(session):
    admin = await create_admin(session)
    peer = await create_organization(
        session, slug="florida", name="Florida Peer", kind=OrganizationKind.PEER, state="FL"
    )
    await session.commit()
    return admin, to_global_id("Organization", peer.id)


def new(organization: str, **overrides) -> dict:
    return {"name": "Florida sync", "organization": organization, "scopes": ["peer:read"]} | (
        overrides
    )


async def audit(runtime) -> list[tuple]:
    async with runtime.sessions() as session:
        rows = await session.execute(select(AuditEvent.action, AuditEvent.actor_id))
        return [tuple(row) for row in rows.all()]


async def test_an_admin_registers_a_client_whose_secret_is_shown_once_and_works(
    session, runtime, app, gql
):
    # Given an admin and a peer organization
    admin, florida = await arranged(session)

    # When the admin registers a client, then lists the clients
    made = (await gql.data(CREATE, {"input": new(florida)}, as_=admin))["createApiClient"]
    listed = await gql.post(LIST, as_=admin)

    # Then the answer carries the secret, the list never does, and the secret gets a token
    client, secret = made["client"], made["secret"]
    assert made["errors"] == []
    assert client["name"] == "Florida sync"
    assert client["scopes"] == ["peer:read"]
    assert client["organization"] == {"slug": "florida"}
    assert client["clientId"].startswith("hc_") and len(secret) >= 40
    assert secret not in listed.text
    assert listed.json()["data"]["apiClients"]["edges"][0]["node"] == {
        **client,
        "webhookSubscriptions": [],
    }
    assert [s["name"] for s in listed.json()["data"]["apiClientScopes"]] == ["peer:read"]
    assert await audit(runtime) == [("API_CLIENT_CREATED", admin.id)]
    async with https_client(app) as http:
        answer = await ask_for_token(http, client["clientId"], secret)
    assert answer.status_code == 200, answer.text
    token = answer.json()["access_token"]
    assert (await gql(PUBLIC, token=token))["data"]["organizations"]["totalCount"] == 1

    # When the admin revokes it, twice
    revoked = await gql.data(REVOKE, {"id": client["id"]}, as_=admin)
    again = await gql.data(REVOKE, {"id": client["id"]}, as_=admin)

    # Then its token is refused at once, and the second revoke says it was done
    assert revoked["revokeApiClient"]["errors"] == []
    assert revoked["revokeApiClient"]["client"]["revokedAt"] is not None
    assert again["revokeApiClient"] == {
        "client": None,
        "errors": [{"field": "id", "code": "ALREADY_REVOKED"}],
    }
    refused = await gql.post(PUBLIC, token=token)
    assert refused.status_code == 401
    assert await audit(runtime) == [
        ("API_CLIENT_CREATED", admin.id),
        ("API_CLIENT_REVOKED", admin.id),
    ]


async def test_bad_input_is_refused_field_by_field_and_nothing_is_written(session, runtime, gql):
    admin, florida = await arranged(session)
    cases = {
        "empty name": (new(florida, name="  "), [("name", "NAME_REQUIRED")]),
        "long name": (new(florida, name="x" * 201), [("name", "NAME_TOO_LONG")]),
        "no scope": (new(florida, scopes=[]), [("scopes", "SCOPE_REQUIRED")]),
        "unknown scope": (new(florida, scopes=["admin:all"]), [("scopes", "UNKNOWN_SCOPE")]),
        "unknown organization": (
            new(to_global_id("Organization", 999_999)),
            [("organization", "UNKNOWN_ORGANIZATION")],
        ),
        "malformed organization": (new("nope"), [("organization", "UNKNOWN_ORGANIZATION")]),
        "everything wrong": (
            new("nope", name="", scopes=["x"]),
            [
                ("name", "NAME_REQUIRED"),
                ("scopes", "UNKNOWN_SCOPE"),
                ("organization", "UNKNOWN_ORGANIZATION"),
            ],
        ),
        "empty request key": (new(florida, requestKey=""), [("requestKey", "DUPLICATE_REQUEST")]),
    }
    for case, (given, expected) in cases.items():
        payload = (await gql.data(CREATE, {"input": given}, as_=admin))["createApiClient"]
        got = [(e["field"], e["code"]) for e in payload["errors"]]
        assert (payload["client"], payload["secret"], got) == (None, None, expected), case
    bad_ids = [to_global_id("ApiClient", 999_999), "nope"]
    for bad in bad_ids:
        payload = (await gql.data(REVOKE, {"id": bad}, as_=admin))["revokeApiClient"]
        assert payload["errors"] == [{"field": "id", "code": "UNKNOWN_CLIENT"}]
    assert await client_rows(session) == []
    assert await audit(runtime) == []


async def test_the_same_request_key_registers_one_client(session, runtime, gql):
    admin, florida = await arranged(session)
    given = new(florida, requestKey="form-1")

    first = (await gql.data(CREATE, {"input": given}, as_=admin))["createApiClient"]
    second = (await gql.data(CREATE, {"input": given}, as_=admin))["createApiClient"]

    assert first["errors"] == []
    assert second["client"] is None and second["secret"] is None
    assert [e["code"] for e in second["errors"]] == ["DUPLICATE_REQUEST"]
    async with runtime.sessions() as fresh:
        assert await fresh.scalar(select(func.count()).select_from(ApiClient)) == 1
        assert await fresh.scalar(select(func.count()).select_from(RequestKey)) == 1
    assert len(await audit(runtime)) == 1


WITH_RELATIONS = """
{ apiClients(first: 50) { totalCount edges { node { name organization { name }
  webhookSubscriptions { url } } } } }
"""


async def test_the_client_list_costs_the_same_for_1_or_6_clients(session, gql, statements):
    admin = await create_admin(session)
    await add_clients(session, 1)
    await gql.data(WITH_RELATIONS, as_=admin)  # unmeasured: the admin is known afterwards
    statements.statements.clear()
    small = await gql.data(WITH_RELATIONS, as_=admin)
    small_count = statements.count

    await add_clients(session, 5)
    statements.statements.clear()
    large = await gql.data(WITH_RELATIONS, as_=admin)

    assert small["apiClients"]["totalCount"] == 1
    assert large["apiClients"]["totalCount"] == 6
    assert statements.count == small_count


async def add_clients(session, count: int) -> None:
    for _ in range(count):
        registered = await register_peer(session, name=f"Peer {next(NUMBERS)}")
        session.add(
            WebhookSubscription(
                client_id=registered.client.id,
                url="https://peer.example/h",
                event_types=["convening.created"],
                secret="whsec_x",
            )
        )
    await session.commit()

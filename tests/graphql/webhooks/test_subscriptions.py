"""Webhook subscriptions through the API: who may manage them, and bad URLs refused cleanly."""

from __future__ import annotations

import socket

from sqlalchemy import func, select

from hub.infrastructure.models import WebhookSubscription
from tests.factories import create_admin
from tests.webhooks.subscribing import SUBSCRIBE, peer_with_token, subscribe

LIST = "{ webhookSubscriptions { id url eventTypes } }"
DELETE = """mutation ($id: ID!) {
  deleteWebhookSubscription(input: {id: $id}) { deletedId errors { field code message } } }"""


async def subscription_count(runtime) -> int:
    async with runtime.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(WebhookSubscription)))


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_a_client_subscribes_lists_and_deletes(session, private_app, private_gql, receiver):
    # Given a peer's client
    token = await peer_with_token(private_app, session)

    # When it subscribes, lists, and deletes
    created = await subscribe(private_gql, token, receiver.url, ["PROPOSAL_ADOPTED"])
    listed = await private_gql(LIST, token=token)
    deleted = await private_gql(DELETE, {"id": created["subscription"]["id"]}, token=token)

    # Then the secret was shown once, the list shows no secret, and the row is gone
    assert created["errors"] == []
    assert created["secret"].startswith("whsec_")
    assert listed["data"]["webhookSubscriptions"] == [
        {
            "id": created["subscription"]["id"],
            "url": receiver.url,
            "eventTypes": ["PROPOSAL_ADOPTED"],
        }
    ]
    assert deleted["data"]["deleteWebhookSubscription"] == {
        "deletedId": created["subscription"]["id"],
        "errors": [],
    }
    assert await subscription_count(private_gql.runtime) == 0


async def test_a_private_address_is_refused_and_nothing_is_written(session, app, gql, receiver):
    # Given a peer's client, on a hub that delivers to public addresses only
    token = await peer_with_token(app, session)

    # When it subscribes its receiver on 127.0.0.1 over https
    url = receiver.url.replace("http://", "https://")
    body = await gql(
        SUBSCRIBE, {"input": {"url": url, "eventTypes": ["CONVENING_CREATED"]}}, token=token
    )

    # Then the payload says why, and nothing was stored
    payload = body["data"]["createWebhookSubscription"]
    assert payload["subscription"] is None and payload["secret"] is None
    (error,) = payload["errors"]
    assert (error["field"], error["code"]) == ("url", "UNSAFE_URL")
    assert "127.0.0.1" in error["message"] and "private" in error["message"]
    assert await subscription_count(gql.runtime) == 0


async def test_plain_http_is_refused(session, app, gql):
    token = await peer_with_token(app, session)
    variables = {"input": {"url": "http://example.org/hook", "eventTypes": ["CONVENING_CREATED"]}}
    body = await gql(SUBSCRIBE, variables, token=token)
    (error,) = body["data"]["createWebhookSubscription"]["errors"]
    assert (error["code"], error["message"]) == (
        "UNSAFE_URL",
        "Give an https:// URL with a host name.",
    )
    assert await subscription_count(gql.runtime) == 0


async def test_an_unreachable_url_is_refused_and_nothing_is_written(
    session, private_app, private_gql
):
    # Given a peer's client, and a port nothing listens on, and a host that does not resolve
    token = await peer_with_token(private_app, session)
    port = closed_port()

    # When it subscribes each
    refused = []
    for url in (f"http://127.0.0.1:{port}/hook", "https://hub-webhooks.invalid/hook"):
        variables = {"input": {"url": url, "eventTypes": ["CONVENING_CREATED"]}}
        body = await private_gql(SUBSCRIBE, variables, token=token)
        refused += body["data"]["createWebhookSubscription"]["errors"]

    # Then both are clear payload errors, and nothing was stored
    assert [(e["field"], e["code"]) for e in refused] == [("url", "UNREACHABLE_URL")] * 2
    assert refused[0]["message"].startswith(f"Could not connect to 127.0.0.1 port {port}")
    assert refused[1]["message"].startswith("The host hub-webhooks.invalid could not be resolved")
    assert await subscription_count(private_gql.runtime) == 0


async def test_people_do_not_manage_webhook_subscriptions(session, private_gql, receiver):
    # Given an admin (a person, not an API client)
    admin = await create_admin(session)
    await session.commit()

    # When the admin tries to subscribe
    variables = {"input": {"url": receiver.url, "eventTypes": ["CONVENING_CREATED"]}}
    body = await private_gql(SUBSCRIBE, variables, as_=admin)

    # Then it is refused as forbidden, and nothing is stored
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "FORBIDDEN"
    assert await subscription_count(private_gql.runtime) == 0


async def test_a_client_still_may_not_call_other_mutations(session, app, gql):
    # Given a peer's client
    token = await peer_with_token(app, session)

    # When it sends another mutation beside a webhook one
    document = """mutation { deleteWebhookSubscription(input: {id: "x"}) { deletedId }
        createPerson(input: {name: "X", email: "x@example.org"}) { errors { code } } }"""
    body = await gql(document, token=token)

    # Then the whole operation is refused before it runs
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "FORBIDDEN"
    assert "may only read" in error["message"]

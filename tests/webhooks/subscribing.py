"""Arranging a peer client subscribed to a receiver, through the real API."""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette

from tests.auth.peers import fetch_token, https_client, register_peer
from tests.graphql_client import GraphQLClient

SUBSCRIBE = """
mutation ($input: CreateWebhookSubscriptionInput!) {
  createWebhookSubscription(input: $input) {
    subscription { id url eventTypes } secret errors { field code message }
  }
}
"""
ALL_EVENTS = [
    "CONVENING_CREATED",
    "CONVENING_UPDATED",
    "CONVENING_CANCELLED",
    "CONVENING_RSVP_COUNTS_CHANGED",
    "PROPOSAL_ADOPTED",
    "PROPOSAL_REJECTED",
]


async def peer_with_token(app: Starlette, session: Any) -> str:
    registered = await register_peer(session)
    async with https_client(app) as client:
        return await fetch_token(client, registered)


async def subscribe(
    gql: GraphQLClient, token: str, url: str, events: list[str] | None = None
) -> dict[str, Any]:
    variables = {"input": {"url": url, "eventTypes": events or ALL_EVENTS}}
    body = await gql(SUBSCRIBE, variables, token=token)
    assert "errors" not in body, body["errors"]
    return body["data"]["createWebhookSubscription"]  # type: ignore[no-any-return]

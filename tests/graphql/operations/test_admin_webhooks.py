"""Admins add a webhook subscription for an API client (the signing secret answered once) and
delete any client's, each audited; bad input per field is refused with nothing written, and
the same request key twice adds one subscription. People who are not admins may do neither."""

from __future__ import annotations

import socket

from sqlalchemy import select

from hub.infrastructure.models import AuditEvent, WebhookSubscription
from hub.interfaces.graphql.node import to_global_id
from tests.auth.peers import register_peer
from tests.factories import create_admin, create_person

CREATE = """
mutation ($input: CreateWebhookSubscriptionInput!) {
  createWebhookSubscription(input: $input) {
    subscription { id url eventTypes } secret errors { field code }
  }
}
"""
DELETE = """
mutation ($id: ID!) { deleteWebhookSubscription(input: {id: $id}) { deletedId errors { code } } }
"""
LIST = (
    "{ apiClients(first: 5) { edges { node { name webhookSubscriptions { url eventTypes } } } } }"
)


async def state(runtime) -> tuple[list, list]:
    async with runtime.sessions() as session:
        subscriptions = (
            await session.execute(select(WebhookSubscription.client_id, WebhookSubscription.url))
        ).all()
        trail = (await session.execute(select(AuditEvent.action, AuditEvent.actor_id))).all()
        return [tuple(r) for r in subscriptions], [tuple(r) for r in trail]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def arranged(session):
    admin = await create_admin(session)
    registered = await register_peer(session)
    await session.commit()
    return admin, registered, to_global_id("ApiClient", registered.client.id)


async def test_an_admin_adds_and_deletes_a_clients_subscription(session, private_gql, receiver):
    admin, registered, client = await arranged(session)
    given = {"client": client, "url": receiver.url, "eventTypes": ["PROPOSAL_ADOPTED"]}

    made = (await private_gql.data(CREATE, {"input": given}, as_=admin))[
        "createWebhookSubscription"
    ]
    listed = await private_gql.post(LIST, as_=admin)

    assert made["errors"] == []
    assert made["secret"].startswith("whsec_")
    assert made["secret"] not in listed.text
    assert listed.json()["data"]["apiClients"]["edges"][0]["node"] == {
        "name": "Florida Peer sync",
        "webhookSubscriptions": [{"url": receiver.url, "eventTypes": ["PROPOSAL_ADOPTED"]}],
    }
    assert await state(private_gql.runtime) == (
        [(registered.client.id, receiver.url)],
        [("WEBHOOK_SUBSCRIPTION_CREATED", admin.id)],
    )

    deleted = await private_gql.data(DELETE, {"id": made["subscription"]["id"]}, as_=admin)

    assert deleted["deleteWebhookSubscription"] == {
        "deletedId": made["subscription"]["id"],
        "errors": [],
    }
    assert await state(private_gql.runtime) == (
        [],
        [("WEBHOOK_SUBSCRIPTION_CREATED", admin.id), ("WEBHOOK_SUBSCRIPTION_DELETED", admin.id)],
    )


async def test_bad_input_is_refused_field_by_field_and_nothing_is_written(
    session, private_gql, gql, receiver
):
    admin, _, client = await arranged(session)
    good = {"client": client, "url": receiver.url, "eventTypes": ["CONVENING_CREATED"]}
    dead = f"http://127.0.0.1:{closed_port()}/hooks"
    cases = {
        "not a URL": ({**good, "url": "not a url"}, [("url", "UNSAFE_URL")]),
        "nothing listens": ({**good, "url": dead}, [("url", "UNREACHABLE_URL")]),
        "too long": ({**good, "url": "https://a.example/" + "x" * 500}, [("url", "URL_TOO_LONG")]),
        "no event": ({**good, "eventTypes": []}, [("eventTypes", "EVENT_TYPE_REQUIRED")]),
        "unknown client": (
            {**good, "client": to_global_id("ApiClient", 999_999)},
            [("client", "UNKNOWN_CLIENT")],
        ),
        "malformed client": ({**good, "client": "nope"}, [("client", "UNKNOWN_CLIENT")]),
        "everything wrong": (
            {"client": "nope", "url": "ftp://x", "eventTypes": []},
            [
                ("eventTypes", "EVENT_TYPE_REQUIRED"),
                ("url", "UNSAFE_URL"),
                ("client", "UNKNOWN_CLIENT"),
            ],
        ),
    }
    for case, (given, expected) in cases.items():
        payload = (await private_gql.data(CREATE, {"input": given}, as_=admin))[
            "createWebhookSubscription"
        ]
        got = [(e["field"], e["code"]) for e in payload["errors"]]
        assert (payload["subscription"], payload["secret"], got) == (None, None, expected), case
    # A hub that delivers to public addresses only refuses the local receiver.
    private = await gql.data(CREATE, {"input": good}, as_=admin)
    assert [e["code"] for e in private["createWebhookSubscription"]["errors"]] == ["UNSAFE_URL"]
    unknown = to_global_id("WebhookSubscription", 999_999)
    gone = await private_gql.data(DELETE, {"id": unknown}, as_=admin)
    assert gone["deleteWebhookSubscription"]["errors"] == [{"code": "UNKNOWN_SUBSCRIPTION"}]
    assert await state(private_gql.runtime) == ([], [])


async def test_the_same_request_key_adds_one_subscription(session, private_gql, receiver):
    admin, registered, client = await arranged(session)
    given = {
        "client": client,
        "url": receiver.url,
        "eventTypes": ["CONVENING_CREATED"],
        "requestKey": "form-1",
    }

    first = await private_gql.data(CREATE, {"input": given}, as_=admin)
    second = await private_gql.data(CREATE, {"input": given}, as_=admin)

    assert first["createWebhookSubscription"]["errors"] == []
    assert second["createWebhookSubscription"]["errors"] == [
        {"field": "requestKey", "code": "DUPLICATE_REQUEST"}
    ]
    subscriptions, _ = await state(private_gql.runtime)
    assert subscriptions == [(registered.client.id, receiver.url)]


async def test_a_member_may_neither_add_nor_delete_a_clients_subscription(
    session, private_gql, receiver
):
    admin, _, client = await arranged(session)
    member = await create_person(session)
    await session.commit()
    given = {"client": client, "url": receiver.url, "eventTypes": ["CONVENING_CREATED"]}
    made = await private_gql.data(CREATE, {"input": given}, as_=admin)
    before = await state(private_gql.runtime)

    added = await private_gql(CREATE, {"input": given}, as_=member)
    deleted = await private_gql(
        DELETE, {"id": made["createWebhookSubscription"]["subscription"]["id"]}, as_=member
    )

    for refused in (added, deleted):
        assert refused["data"] is None
        assert refused["errors"][0]["extensions"] == {"code": "FORBIDDEN"}
    assert await state(private_gql.runtime) == before

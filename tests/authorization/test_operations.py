"""Who may use the operations' new query fields and mutations: an admin; never a member, an
anonymous caller nor a peer's API client. A refused call changes nothing."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from hub.delivery.email.suppressions import suppress
from hub.infrastructure.models import (
    ApiClient,
    AuditEvent,
    EmailSuppression,
    OutboxMessage,
    RequestKey,
    WebhookSubscription,
)
from hub.infrastructure.models.outbox import OutboxStatus
from hub.interfaces.graphql.node import to_global_id
from tests.auth.peers import fetch_token, https_client, register_peer
from tests.factories import affiliate, create_admin, create_organization, create_person
from tests.outbox.factories import create_message

ANONYMOUS, MEMBER, PEER, ADMIN = "anonymous", "member", "peer:read client", "admin"
ROLES = (ANONYMOUS, MEMBER, PEER, ADMIN)
OK = "ok"

OPERATIONS = {
    "outbox(channel, newestFirst)": (
        "{ outbox(channel: EMAIL, newestFirst: true) { totalCount } }"
    ),
    "apiClients": "{ apiClients { totalCount } }",
    "apiClientScopes": "{ apiClientScopes { name } }",
    "auditEvents": "{ auditEvents { totalCount } }",
    "auditActions": "{ auditActions }",
    "node(apiClient)": "query ($client: ID!) { node(id: $client) { id } }",
    "node(auditEvent)": "query ($audit: ID!) { node(id: $audit) { id } }",
    "retryOutboxMessage": (
        "mutation ($message: ID!) { retryOutboxMessage(input: {id: $message}) "
        "{ message { id } errors { code } } }"
    ),
    "liftSuppression(reason)": (
        'mutation { liftSuppression(input: {email: "b@example.org", reason: "Fixed"}) '
        "{ suppression { email } errors { code } } }"
    ),
    "createApiClient": (
        'mutation ($org: ID!) { createApiClient(input: {name: "Sync", organization: $org, '
        'scopes: ["peer:read"], requestKey: "k"}) { secret errors { code } } }'
    ),
    "revokeApiClient": (
        "mutation ($client: ID!) { revokeApiClient(input: {id: $client}) "
        "{ client { id } errors { code } } }"
    ),
    "createWebhookSubscription(client)": (
        "mutation ($client: ID!) { createWebhookSubscription(input: {client: $client, "
        'url: "not a url", eventTypes: [CONVENING_CREATED]}) { secret errors { code } } }'
    ),
}
F, U = "FORBIDDEN", "UNAUTHENTICATED"
REFUSED = {ANONYMOUS: U, MEMBER: F, PEER: F}
EXPECTED = {
    **{name: {**REFUSED, ADMIN: OK} for name in OPERATIONS},
    # Through node(id:), what a viewer may not see is not there.
    "node(apiClient)": {ANONYMOUS: "null", MEMBER: "null", PEER: "null", ADMIN: OK},
    "node(auditEvent)": {ANONYMOUS: "null", MEMBER: "null", PEER: "null", ADMIN: OK},
    # The admin's subscription reaches the URL check (a payload error), and writes nothing.
    "createWebhookSubscription(client)": {**REFUSED, ADMIN: "UNSAFE_URL"},
}
CASES = [(operation, role) for operation in OPERATIONS for role in ROLES]


@dataclass
class World:
    tokens: dict[str, str | None]
    variables: dict[str, str]


async def arrange(session, app, gql) -> World:
    admin = await create_admin(session)
    member = await create_person(session)
    await affiliate(session, member, await create_organization(session))
    failed = await create_message(session, member, OutboxStatus.FAILED)
    await suppress(session, "b@example.org", "bounce")
    audit = AuditEvent(action="TEST", actor_id=admin.id, detail="")
    session.add(audit)
    await session.commit()
    registered = await register_peer(session)
    async with https_client(app) as http:
        peer_token = await fetch_token(http, registered)
    return World(
        tokens={
            ANONYMOUS: None,
            MEMBER: gql.token_for(member),
            PEER: peer_token,
            ADMIN: gql.token_for(admin),
        },
        variables={
            "message": to_global_id("OutboxMessage", failed.id),
            "client": to_global_id("ApiClient", registered.client.id),
            "org": to_global_id("Organization", registered.client.organization_id),
            "audit": to_global_id("AuditEvent", audit.id),
        },
    )


async def state(session) -> tuple:
    """Everything these calls may change."""
    session.expire_all()
    counted = []
    for model in (ApiClient, AuditEvent, EmailSuppression, RequestKey, WebhookSubscription):
        counted.append(await session.scalar(select(func.count()).select_from(model)))
    outbox = (await session.execute(select(OutboxMessage.id, OutboxMessage.status))).all()
    revoked = (await session.execute(select(ApiClient.id, ApiClient.revoked_at))).all()
    await session.rollback()
    return tuple(counted), sorted(outbox), sorted(revoked)


def outcome(body: dict) -> str:
    if body.get("errors"):
        return body["errors"][0]["extensions"]["code"]
    [value] = body["data"].values()
    if value is None:
        return "null"
    if isinstance(value, dict) and value.get("errors"):
        return value["errors"][0]["code"]
    return OK


@pytest.mark.parametrize(("operation", "role"), CASES)
async def test_who_may_run_the_operations(session, app, gql, operation, role):
    # Given an admin, a member, a peer's client, a failed message, a suppression, an entry
    world = await arrange(session, app, gql)
    before = await state(session)
    text = OPERATIONS[operation]
    wanted = {k: v for k, v in world.variables.items() if f"${k}" in text}

    # When the caller asks
    body = (await gql.post(text, wanted, token=world.tokens[role])).json()

    # Then they get what the policy says, and a refusal changed nothing
    assert outcome(body) == EXPECTED[operation][role], body
    if outcome(body) != OK:
        assert await state(session) == before

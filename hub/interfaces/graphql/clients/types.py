"""An API client as admins see it: never its secret (only its hash is kept)."""

from __future__ import annotations

from datetime import datetime

import strawberry
from sqlalchemy import select

from hub.access.auth.clients import ClientErrorCode
from hub.access.permissions.clients import may_manage_clients
from hub.infrastructure import models
from hub.interfaces.graphql.clients.loaders import WebhookSubscriptionsByClientIdLoader
from hub.interfaces.graphql.context import Context
from hub.interfaces.graphql.directory.loaders import OrganizationByIdLoader
from hub.interfaces.graphql.directory.types import Organization
from hub.interfaces.graphql.errors import UserError
from hub.interfaces.graphql.node import Node, register_node, to_global_id
from hub.interfaces.graphql.webhooks.types import WebhookSubscription

Info = strawberry.Info[Context, None]

strawberry.enum(
    ClientErrorCode,
    name="ApiClientErrorCode",
    description="NAME_REQUIRED, NAME_TOO_LONG, UNKNOWN_ORGANIZATION, SCOPE_REQUIRED, "
    "UNKNOWN_SCOPE, UNKNOWN_CLIENT, ALREADY_REVOKED, DUPLICATE_REQUEST (a create with this "
    "request key was made already).",
)


@strawberry.type(description="A scope an API client can hold, and what it allows.")
class ApiClientScope:
    name: str
    description: str


@strawberry.type(
    description="A peer's or partner's system calling the API with the client-credentials "
    "grant. Its secret is shown once, by createApiClient. Admins only."
)
class ApiClient(Node):
    pk: strawberry.Private[int]
    client_id: str = strawberry.field(description="Sent as `client_id` to /oauth/token.")
    name: str
    scopes: list[str]
    created_at: datetime
    revoked_at: datetime | None = strawberry.field(description="Its tokens stopped working then.")
    organization_pk: strawberry.Private[int]

    @classmethod
    def from_model(cls, model: models.ApiClient) -> ApiClient:
        return cls(
            id=to_global_id("ApiClient", model.id),
            pk=model.id,
            client_id=model.client_id,
            name=model.name,
            scopes=list(model.scopes),
            created_at=model.created_at,
            revoked_at=model.revoked_at,
            organization_pk=model.organization_id,
        )

    @strawberry.field(description="The organization it acts for.")
    async def organization(self, info: Info) -> Organization | None:
        row = await info.context.loader(OrganizationByIdLoader).load(self.organization_pk)
        return Organization.from_model(row) if row else None

    @strawberry.field(description="Its webhook subscriptions, oldest first.")
    async def webhook_subscriptions(self, info: Info) -> list[WebhookSubscription]:
        rows = await info.context.loader(WebhookSubscriptionsByClientIdLoader).load(self.pk)
        return [WebhookSubscription.from_model(row) for row in rows]


@strawberry.type(description="A mistake in registering or revoking an API client.")
class ApiClientError(UserError):
    code: ClientErrorCode


async def _client_node(context: Context, pk: int) -> ApiClient | None:
    if not may_manage_clients(context.viewer):
        return None
    row = await context.session.scalar(select(models.ApiClient).where(models.ApiClient.id == pk))
    return ApiClient.from_model(row) if row else None


register_node("ApiClient", _client_node)

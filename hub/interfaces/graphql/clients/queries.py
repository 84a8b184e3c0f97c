"""`apiClients` and `apiClientScopes`: admins only."""

from __future__ import annotations

import strawberry

from hub.access.auth.clients import all_clients
from hub.access.auth.scopes import SCOPES
from hub.access.permissions.clients import require_client_admin
from hub.infrastructure.models import ApiClient as ClientRow
from hub.interfaces.graphql.clients.types import ApiClient, ApiClientScope
from hub.interfaces.graphql.connection import Connection, connection_of
from hub.interfaces.graphql.context import Context

Info = strawberry.Info[Context, None]


@strawberry.type
class ApiClientQuery:
    @strawberry.field(description="API clients, oldest first, revoked ones too. Admins only.")
    async def api_clients(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[ApiClient]:
        require_client_admin(info.context.viewer)
        return await connection_of(
            info.context, all_clients(), [ClientRow.id], ApiClient.from_model, first, after
        )

    @strawberry.field(description="The scopes an API client can be given. Admins only.")
    async def api_client_scopes(self, info: Info) -> list[ApiClientScope]:
        require_client_admin(info.context.viewer)
        return [ApiClientScope(name=name, description=words) for name, words in SCOPES.items()]

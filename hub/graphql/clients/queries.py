"""`apiClients` and `apiClientScopes`: admins only."""

from __future__ import annotations

import strawberry

from hub.auth.clients import all_clients
from hub.auth.scopes import SCOPES
from hub.graphql.clients.types import ApiClient, ApiClientScope
from hub.graphql.connection import Connection, connection_of
from hub.graphql.context import Context
from hub.models import ApiClient as ClientRow
from hub.permissions.clients import require_client_admin

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

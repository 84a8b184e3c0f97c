"""`createApiClient` (the secret shown once) and `revokeApiClient`: admins only, audited."""

from __future__ import annotations

import strawberry

from hub.access.auth import clients
from hub.access.auth.clients import ClientErrorCode as Code
from hub.access.auth.clients import NewClient, RegisteredClient
from hub.access.permissions.clients import require_client_admin
from hub.common.errors import InputError
from hub.infrastructure.models.base import utcnow
from hub.interfaces.graphql.clients.types import ApiClient, ApiClientError
from hub.interfaces.graphql.context import Context
from hub.interfaces.graphql.mutation import attempt, input_pk
from hub.interfaces.graphql.node import InvalidGlobalId, pk_of

Info = strawberry.Info[Context, None]


@strawberry.input
class CreateApiClientInput:
    name: str = strawberry.field(description="What system it is, up to 200 characters.")
    organization: strawberry.ID = strawberry.field(description="The organization it acts for.")
    scopes: list[str] = strawberry.field(description="Names from `apiClientScopes`.")
    request_key: str | None = strawberry.field(
        default=None,
        description="A key made up for this one create (a form's): sent again, it creates "
        "nothing and answers DUPLICATE_REQUEST.",
    )


@strawberry.type
class CreateApiClientPayload:
    client: ApiClient | None
    secret: str | None = strawberry.field(
        description="The client's secret: shown this once, never again. Keep it secret."
    )
    errors: list[ApiClientError]


@strawberry.input
class RevokeApiClientInput:
    id: strawberry.ID


@strawberry.type
class RevokeApiClientPayload:
    client: ApiClient | None
    errors: list[ApiClientError]


def _errors(errors: list[InputError]) -> list[ApiClientError]:
    return [ApiClientError(field=e.field, code=e.code, message=e.message) for e in errors]  # type: ignore[arg-type]


def _organization_pk(global_id: str) -> int | None:
    try:
        return pk_of(global_id, "Organization")
    except InvalidGlobalId:
        return None  # reported with the other fields' mistakes, as an unknown organization


@strawberry.type
class ApiClientMutation:
    @strawberry.mutation(
        description="Registers an API client and answers its secret, once; recorded in the "
        "admins' audit trail. Admins only."
    )
    async def create_api_client(
        self, info: Info, input: CreateApiClientInput
    ) -> CreateApiClientPayload:
        context = info.context
        require_client_admin(context.viewer)
        new = NewClient(
            name=input.name,
            organization_id=_organization_pk(input.organization),
            scopes=frozenset(input.scopes),
            request_key=input.request_key,
        )

        async def create() -> RegisteredClient:
            return await clients.create_client(
                context.session, new, actor_id=context.viewer.person_id, now=utcnow()
            )

        made, errors = await attempt(context, create)
        return CreateApiClientPayload(
            client=ApiClient.from_model(made.client) if made else None,
            secret=made.secret if made else None,
            errors=_errors(errors),
        )

    @strawberry.mutation(
        description="Revokes an API client: its tokens stop working at once; recorded in the "
        "admins' audit trail. Admins only."
    )
    async def revoke_api_client(
        self, info: Info, input: RevokeApiClientInput
    ) -> RevokeApiClientPayload:
        context = info.context
        require_client_admin(context.viewer)

        async def revoke() -> ApiClient:
            pk = input_pk(input.id, "ApiClient", "id", Code.UNKNOWN_CLIENT)
            client = await clients.revoke_client_by_admin(
                context.session, pk, actor_id=context.viewer.person_id, now=utcnow()
            )
            return ApiClient.from_model(client)

        revoked, errors = await attempt(context, revoke)
        return RevokeApiClientPayload(client=revoked, errors=_errors(errors))

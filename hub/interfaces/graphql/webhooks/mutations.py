"""Webhook subscription mutations, for API clients (peer:read) only."""

from __future__ import annotations

import strawberry

from hub.common.errors import InputError
from hub.delivery.webhooks import subscriptions
from hub.delivery.webhooks.subscriptions import NewSubscription, Owner
from hub.delivery.webhooks.subscriptions import WebhookErrorCode as Code
from hub.interfaces.graphql.context import Context
from hub.interfaces.graphql.mutation import attempt, input_pk
from hub.interfaces.graphql.node import InvalidGlobalId, pk_of
from hub.interfaces.graphql.webhooks.types import (
    WebhookError,
    WebhookEventType,
    WebhookSubscription,
)

Info = strawberry.Info[Context, None]


@strawberry.input
class CreateWebhookSubscriptionInput:
    url: str = strawberry.field(
        description="An https URL on a public address; it must accept connections now."
    )
    event_types: list[WebhookEventType]
    client: strawberry.ID | None = strawberry.field(
        default=None,
        description="Admins: the API client the subscription is for. API clients leave it "
        "out: theirs.",
    )
    request_key: str | None = strawberry.field(
        default=None,
        description="A key made up for this one create (a form's): sent again, it creates "
        "nothing and answers DUPLICATE_REQUEST.",
    )


@strawberry.input
class DeleteWebhookSubscriptionInput:
    id: strawberry.ID


@strawberry.type
class CreateWebhookSubscriptionPayload:
    subscription: WebhookSubscription | None
    secret: str | None = strawberry.field(
        description="The signing secret (`whsec_...`) for verifying deliveries: given only "
        "here, once. Keep it secret."
    )
    errors: list[WebhookError]


@strawberry.type
class DeleteWebhookSubscriptionPayload:
    deleted_id: strawberry.ID | None
    errors: list[WebhookError]


def _errors(errors: list[InputError]) -> list[WebhookError]:
    return [WebhookError(field=e.field, code=e.code, message=e.message) for e in errors]  # type: ignore[arg-type]


def _client_pk(global_id: str) -> int:
    # 0 matches no client: reported as UNKNOWN_CLIENT with the other fields' mistakes.
    try:
        return pk_of(global_id, "ApiClient")
    except InvalidGlobalId:
        return 0


@strawberry.type
class WebhookMutation:
    @strawberry.mutation(
        description="Subscribes a URL to events: an API client for itself, or an admin for a "
        "client (audited)."
    )
    async def create_webhook_subscription(
        self, info: Info, input: CreateWebhookSubscriptionInput
    ) -> CreateWebhookSubscriptionPayload:
        context = info.context

        async def create() -> NewSubscription:
            owner = Owner(
                client_pk=_client_pk(input.client) if input.client is not None else None,
                request_key=input.request_key,
            )
            return await subscriptions.create_subscription(
                context.session,
                context.viewer,
                context.settings,
                input.url,
                input.event_types,
                owner,
            )

        created, errors = await attempt(context, create)
        return CreateWebhookSubscriptionPayload(
            subscription=WebhookSubscription.from_model(created.subscription) if created else None,
            secret=created.secret if created else None,
            errors=_errors(errors),
        )

    @strawberry.mutation(
        description="Ends a subscription; queued deliveries are not sent. An API client ends "
        "its own; an admin any (audited)."
    )
    async def delete_webhook_subscription(
        self, info: Info, input: DeleteWebhookSubscriptionInput
    ) -> DeleteWebhookSubscriptionPayload:
        context = info.context

        async def delete() -> strawberry.ID:
            pk = input_pk(input.id, "WebhookSubscription", "id", Code.UNKNOWN_SUBSCRIPTION)
            await subscriptions.delete_subscription(context.session, context.viewer, pk)
            return input.id

        deleted, errors = await attempt(context, delete)
        return DeleteWebhookSubscriptionPayload(deleted_id=deleted, errors=_errors(errors))

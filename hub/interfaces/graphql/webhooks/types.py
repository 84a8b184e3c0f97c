"""Webhook subscriptions as the API shows them to the client that owns them."""

from __future__ import annotations

from datetime import datetime

import strawberry

from hub.delivery.webhooks.events import EventType as WebhookEventType
from hub.delivery.webhooks.subscriptions import WebhookErrorCode, own_subscriptions
from hub.infrastructure import models
from hub.interfaces.graphql.context import Context
from hub.interfaces.graphql.errors import UserError
from hub.interfaces.graphql.node import Node, register_node, to_global_id

strawberry.enum(
    WebhookEventType,
    name="WebhookEventType",
    description="Events a client may subscribe to; a delivery's `type` is the lower-case "
    "dotted name (`convening.created`, `proposal.adopted`, ...).",
)
strawberry.enum(WebhookErrorCode)


@strawberry.type(description="A URL that hears of chosen events, signed per Standard Webhooks.")
class WebhookSubscription(Node):
    pk: strawberry.Private[int]
    url: str
    event_types: list[WebhookEventType]
    created_at: datetime

    @classmethod
    def from_model(cls, model: models.WebhookSubscription) -> WebhookSubscription:
        return cls(
            id=to_global_id("WebhookSubscription", model.id),
            pk=model.id,
            url=model.url,
            event_types=[WebhookEventType(kind) for kind in model.event_types],
            created_at=model.created_at,
        )


@strawberry.type(description="A mistake in a webhook subscription change.")
class WebhookError(UserError):
    code: WebhookErrorCode


async def _subscription_node(context: Context, pk: int) -> WebhookSubscription | None:
    if not context.viewer.is_client:
        return None
    statement = own_subscriptions(context.viewer).where(models.WebhookSubscription.id == pk)
    row = await context.session.scalar(statement)
    return WebhookSubscription.from_model(row) if row else None


register_node("WebhookSubscription", _subscription_node)

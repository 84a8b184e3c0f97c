"""`webhookSubscriptions`: the calling client's own subscriptions."""

from __future__ import annotations

import strawberry

from hub.delivery.webhooks.subscriptions import own_subscriptions
from hub.infrastructure.models import WebhookSubscription as SubscriptionRow
from hub.interfaces.graphql.context import Context
from hub.interfaces.graphql.webhooks.types import WebhookSubscription

Info = strawberry.Info[Context, None]


@strawberry.type
class WebhookQuery:
    @strawberry.field(
        description="Your API client's webhook subscriptions, oldest first; empty for callers "
        "that are not API clients."
    )
    async def webhook_subscriptions(self, info: Info) -> list[WebhookSubscription]:
        viewer = info.context.viewer
        if not viewer.is_client:
            return []
        statement = own_subscriptions(viewer).order_by(SubscriptionRow.id)
        rows = await info.context.session.scalars(statement)
        return [WebhookSubscription.from_model(row) for row in rows]

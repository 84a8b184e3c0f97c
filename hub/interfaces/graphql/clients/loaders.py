"""Per-request batch loaders for API clients' relations."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from hub.infrastructure.models import WebhookSubscription
from hub.interfaces.graphql.loader import Loader, group_by


class WebhookSubscriptionsByClientIdLoader(Loader[int, list[WebhookSubscription]]):
    """A client's subscriptions, oldest first (admins' reads: ApiClient is theirs only)."""

    async def fetch(self, keys: Sequence[int]) -> dict[int, list[WebhookSubscription]]:
        statement = (
            select(WebhookSubscription)
            .where(WebhookSubscription.client_id.in_(keys))
            .order_by(WebhookSubscription.id)
        )
        return group_by(await self.context.session.scalars(statement), "client_id")

    def missing(self) -> list[WebhookSubscription]:
        return []

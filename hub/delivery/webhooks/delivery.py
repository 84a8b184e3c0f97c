"""Delivering one queued webhook: signed per Standard Webhooks, POSTed as JSON. The outbox
worker calls this for WEBHOOK messages and retries failures with its exponential back-off;
`webhook-id` stays the same on every attempt, so receivers can drop repeats."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from standardwebhooks import Webhook

from hub.delivery.outbox.delivery import Delivery, DeliveryError
from hub.delivery.webhooks import destinations
from hub.infrastructure.config import Settings
from hub.infrastructure.models import OutboxMessage, WebhookSubscription
from hub.infrastructure.models.base import utcnow

TIMEOUT_SECONDS = 15.0


def signed_headers(secret: str, webhook_id: str, body: str, at: datetime) -> dict[str, str]:
    return {
        "content-type": "application/json",
        "webhook-id": webhook_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": Webhook(secret).sign(webhook_id, at, body),
    }


@dataclass
class WebhookSender:
    sessions: async_sessionmaker[AsyncSession]
    settings: Settings

    def prepare(self, message: OutboxMessage) -> Delivery:
        """A webhook records its event's kind where an email records its subject."""
        return Delivery(subject=message.kind, send=lambda: self.send(message))

    async def send(self, message: OutboxMessage) -> str:
        """Returns the delivery's `webhook-id`. Raises DeliveryError."""
        subscription = await self._subscription(int(message.payload["subscription_id"]))
        url = await self._checked(subscription.url)
        webhook_id = str(message.payload["webhook_id"])
        body = json.dumps(message.payload["event"], separators=(",", ":"))
        # The attempt's own time, not the queue's: receivers refuse stale timestamps.
        headers = signed_headers(subscription.secret, webhook_id, body, utcnow())
        try:
            async with httpx.AsyncClient(timeout=TIMEOUT_SECONDS) as client:
                response = await client.post(url, content=body, headers=headers)
        except httpx.HTTPError as error:
            raise DeliveryError(f"Could not deliver to {url}: {error!r}", retryable=True) from error
        if not response.is_success:
            gone = response.status_code == httpx.codes.GONE
            raise DeliveryError(f"{url} answered {response.status_code}.", retryable=not gone)
        return webhook_id

    async def _subscription(self, subscription_id: int) -> WebhookSubscription:
        async with self.sessions() as session:
            subscription = await session.get(WebhookSubscription, subscription_id)
        if subscription is None:
            raise DeliveryError("The subscription was deleted.", retryable=False)
        return subscription

    async def _checked(self, url: str) -> str:
        # Checked again at each attempt: what a host name resolves to can change.
        try:
            return await destinations.checked_url(url, self.settings)
        except destinations.UnsafeDestination as error:
            raise DeliveryError(str(error), retryable=False) from error
        except destinations.UnreachableDestination as error:
            raise DeliveryError(str(error), retryable=True) from error

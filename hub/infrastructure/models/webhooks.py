"""API clients' webhook subscriptions: a URL that hears about chosen events."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from hub.infrastructure.models.base import Base, Timestamped


class WebhookSubscription(Timestamped, Base):
    """Deliveries go through the outbox (channel WEBHOOK), signed with `secret` per the
    Standard Webhooks specification. The secret is kept as it is: signing needs it."""

    __tablename__ = "webhook_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(
        ForeignKey("api_clients.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(String(500))
    event_types: Mapped[list[str]] = mapped_column(default=list)
    # `whsec_` and base64 of 32 random bytes, as Standard Webhooks secrets are written.
    secret: Mapped[str] = mapped_column(String(100))

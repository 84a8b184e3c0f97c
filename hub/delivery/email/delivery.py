"""Email as an outbox channel: a claimed message is composed in its recipient's language, then
handed to the configured sender."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from hub.delivery.email.compose import compose_email
from hub.delivery.email.senders import Sender
from hub.delivery.outbox.delivery import Delivery
from hub.infrastructure.config import Settings
from hub.infrastructure.models import OutboxMessage
from hub.infrastructure.models.base import utcnow


@dataclass
class EmailDeliverer:
    settings: Settings
    sender: Sender
    clock: Callable[[], datetime] = utcnow

    def prepare(self, message: OutboxMessage) -> Delivery:
        email = compose_email(message, self.settings, now=self.clock())
        return Delivery(subject=email.subject, send=lambda: self.sender.send(email))

"""What the outbox asks of a delivery channel (email, webhooks): turn a claimed message into a
delivery, and send it. The outbox knows no channel; each channel implements this."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from hub.models import OutboxMessage


class DeliveryError(Exception):
    """A send that did not go through; `retryable` when trying later may succeed."""

    def __init__(self, message: str, *, retryable: bool) -> None:
        super().__init__(message)
        self.retryable = retryable


@dataclass(frozen=True)
class Delivery:
    """A message made ready to go: what to record as its subject, and the send itself, which
    returns the provider's id for it or raises DeliveryError."""

    subject: str | None
    send: Callable[[], Awaitable[str]]


class Deliverer(Protocol):
    def prepare(self, message: OutboxMessage) -> Delivery:
        """The message ready to send (a refusal to prepare it is recorded as a failure)."""
        ...

"""What the outbox asks of a delivery channel (email, webhooks): which of the messages it claimed
the channel will not send (Withholding), and to turn a claimed message into a delivery and send
it (Deliverer). The outbox knows no channel; each channel implements these."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from hub.infrastructure.models import OutboxMessage

Withholding = Callable[[AsyncSession, Sequence[OutboxMessage]], Awaitable[Mapping[int, str]]]
"""A channel's last word before sending, in the claim's transaction: of these messages (its
own), those it will not send, by id, each with the reason recorded (they end SUPPRESSED)."""


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

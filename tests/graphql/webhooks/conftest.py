"""A real webhook receiver, and a hub allowed to deliver to it."""

from tests.infrastructure.outbox import clock
from tests.infrastructure.webhook_receiver import (
    private_app,
    private_gql,
    private_settings,
    receiver,
)

__all__ = ["clock", "private_app", "private_gql", "private_settings", "receiver"]

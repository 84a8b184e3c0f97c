"""A real webhook receiver, and a hub allowed to deliver to it."""

from tests.infrastructure.webhook_receiver import (
    private_app,
    private_gql,
    private_settings,
    receiver,
)

__all__ = ["private_app", "private_gql", "private_settings", "receiver"]

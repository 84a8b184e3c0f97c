"""Webhook subscriptions belong to an API client: only that client manages them, and only a
client that may read the public slice (peer:read) subscribes, because deliveries carry it."""

from __future__ import annotations

from hub.access.auth.scopes import PEER_READ
from hub.access.auth.viewer import Viewer
from hub.access.permissions.errors import Forbidden, NotSignedIn

# The mutations an API client may call (hub/access/permissions/clients.py lets these through).
CLIENT_MUTATIONS = frozenset({"createWebhookSubscription", "deleteWebhookSubscription"})


def may_manage_every_subscription(viewer: Viewer) -> bool:
    """Admins manage any client's subscriptions (for a peer who cannot, or a leaked URL)."""
    return viewer.is_admin


def require_subscriber(viewer: Viewer) -> None:
    if not viewer.is_client:
        if not viewer.is_person:
            raise NotSignedIn("Webhook subscriptions are managed with an API client's token.")
        raise Forbidden("Webhook subscriptions belong to API clients, not to people.")
    if PEER_READ not in viewer.scopes:
        raise Forbidden(f"Webhook subscriptions need the scope {PEER_READ}.")


def require_subscription_admin(viewer: Viewer) -> None:
    """Naming the client a subscription is for is an admin's doing."""
    if not viewer.is_person and not viewer.is_client:
        raise NotSignedIn()
    if not may_manage_every_subscription(viewer):
        raise Forbidden("Only alliance admins choose the client a subscription is for.")

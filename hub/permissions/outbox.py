"""The outbox holds people's addresses and what the hub told them: admins only."""

from __future__ import annotations

from hub.auth.viewer import Viewer
from hub.permissions.errors import Forbidden, NotSignedIn


def may_read_outbox(viewer: Viewer) -> bool:
    return viewer.is_admin


def require_outbox_reader(viewer: Viewer) -> None:
    if not viewer.is_person and not viewer.client_id:
        raise NotSignedIn()
    if not may_read_outbox(viewer):
        raise Forbidden("Only alliance admins may read the outbox.")

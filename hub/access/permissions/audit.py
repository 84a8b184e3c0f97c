"""The admins' audit trail names who changed what, and whose addresses: admins only."""

from __future__ import annotations

from hub.access.auth.viewer import Viewer
from hub.access.permissions.errors import Forbidden, NotSignedIn


def may_read_audit_trail(viewer: Viewer) -> bool:
    return viewer.is_admin


def require_audit_reader(viewer: Viewer) -> None:
    if not viewer.is_person and not viewer.is_client:
        raise NotSignedIn()
    if not may_read_audit_trail(viewer):
        raise Forbidden("Only alliance admins may read the admins' audit trail.")

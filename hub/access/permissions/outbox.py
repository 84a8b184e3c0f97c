"""The outbox and the suppression list hold people's addresses and what became of the hub's
mail to them: admins only."""

from __future__ import annotations

from hub.access.auth.viewer import Viewer
from hub.access.permissions.errors import Forbidden, NotSignedIn


def may_read_outbox(viewer: Viewer) -> bool:
    return viewer.is_admin


def require_outbox_reader(viewer: Viewer) -> None:
    _require_admin(viewer, "Only alliance admins may read the outbox.")


def require_outbox_admin(viewer: Viewer) -> None:
    _require_admin(viewer, "Only alliance admins may retry outbox messages.")


def may_manage_suppressions(viewer: Viewer) -> bool:
    return viewer.is_admin


def require_suppression_admin(viewer: Viewer) -> None:
    _require_admin(viewer, "Only alliance admins may see or lift email suppressions.")


def _require_admin(viewer: Viewer, refusal: str) -> None:
    if not viewer.is_person and not viewer.client_id:
        raise NotSignedIn()
    if not viewer.is_admin:
        raise Forbidden(refusal)

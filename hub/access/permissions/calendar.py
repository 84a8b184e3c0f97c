"""Calendar feeds: a person manages their own feed; an organization's feed is managed by
admins and the organization's contacts."""

from __future__ import annotations

from hub.access.auth.viewer import Viewer
from hub.access.permissions.errors import Forbidden, NotSignedIn


def require_feed_manager(viewer: Viewer, organization_id: int | None) -> None:
    if not viewer.is_person:
        raise NotSignedIn()
    if organization_id is None or viewer.is_admin:
        return
    if organization_id not in viewer.contact_org_ids:
        raise Forbidden("Only admins and the organization's contacts manage its calendar feed.")

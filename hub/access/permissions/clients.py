"""What an API client may do with its scopes. Which rows and fields it sees is decided by the
same row and field rules as for everyone: a client is never a signed-in person, so it gets
the public slice, and `peer:read` is what lets it read at all."""

from __future__ import annotations

from hub.access.auth.personal_tokens import WRITE
from hub.access.auth.scopes import PEER_READ
from hub.access.auth.viewer import Viewer
from hub.access.permissions.errors import Forbidden, NotSignedIn
from hub.access.permissions.webhooks import CLIENT_MUTATIONS


def require_operation_allowed(
    viewer: Viewer, operation: str, root_fields: frozenset[str] = frozenset()
) -> None:
    """Clients read with `peer:read`; the only thing a client changes is its own webhook
    subscriptions (`CLIENT_MUTATIONS`), which change nothing of the hub's data.
    A person's read-only personal access token only reads."""
    if viewer.token_id is not None and operation != "query" and WRITE not in viewer.scopes:
        raise Forbidden(
            f"This token may only read (its scopes: {_listed(viewer)}): make one with read "
            "and write on your page, /me, to change anything."
        )
    if not viewer.is_client:
        return
    own_subscriptions = (
        operation == "mutation" and bool(root_fields) and root_fields <= CLIENT_MUTATIONS
    )
    if operation != "query" and not own_subscriptions:
        raise Forbidden(
            f"API clients may only read: no scope allows a {operation} "
            f"(this token's scopes: {_listed(viewer)})."
        )
    if PEER_READ not in viewer.scopes:
        raise Forbidden(f"Reading needs the scope {PEER_READ} (this token's: {_listed(viewer)}).")


def _listed(viewer: Viewer) -> str:
    return " ".join(sorted(viewer.scopes)) or "none"


def may_manage_clients(viewer: Viewer) -> bool:
    """API clients hold the keys to the hub's public slice: admins register and revoke them."""
    return viewer.is_admin


def require_client_admin(viewer: Viewer) -> None:
    if not viewer.is_person and not viewer.is_client:
        raise NotSignedIn()
    if not may_manage_clients(viewer):
        raise Forbidden("Only alliance admins may see, register or revoke API clients.")

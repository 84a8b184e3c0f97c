"""Credentials and admin rights: a person manages their own tokens and sessions; admins
manage anyone's, and who is an admin."""

from __future__ import annotations

from hub.access.auth.viewer import Viewer
from hub.access.permissions.errors import Forbidden, NotSignedIn


def require_person(viewer: Viewer) -> int:
    """The signed-in person's id; API clients have no tokens or sessions of their own here."""
    if viewer.person_id is None:
        if viewer.is_client:
            raise Forbidden("API clients have no personal tokens or sessions.")
        raise NotSignedIn()
    return viewer.person_id


def require_signed_in_page_or_token_maker(viewer: Viewer) -> int:
    """Making a token needs the person themself: a token may not make another, so a leaked
    token cannot outlive its own revocation."""
    person_id = require_person(viewer)
    if viewer.token_id is not None:
        raise Forbidden("Make tokens on your page, /me: a token cannot make another token.")
    return person_id


def require_admin(viewer: Viewer) -> int:
    person_id = require_person(viewer)
    if not viewer.is_admin:
        raise Forbidden("Only alliance admins may do this.")
    return person_id


def may_see_credentials_of(viewer: Viewer, person_id: int) -> bool:
    return viewer.is_admin or (viewer.person_id is not None and viewer.person_id == person_id)

"""What the directory's lists hold and how their searches match, written once as SQL for both
read paths (hub/graphql/directory/queries.py and its compiled mapping) and the pickers."""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_

from hub.auth.viewer import Viewer
from hub.models import Organization, Person
from hub.search import contains_pattern, matches_words


def organization_listed() -> ColumnElement[bool]:
    """Archived organizations leave the lists; loaded by id (an RSVP's, a seat's) they stay."""
    return Organization.archived_at.is_(None)


def person_listed() -> ColumnElement[bool]:
    """Removed people leave the lists; their RSVPs and votes still name a former member."""
    return Person.removed_at.is_(None)


def organizations_matching(search: str) -> ColumnElement[bool]:
    return matches_words(Organization.search_text, search)


def people_matching(viewer: Viewer, search: str) -> ColumnElement[bool]:
    """By name, accents and case folded; for admins by part of the email too."""
    matches = matches_words(Person.search_text, search)
    if viewer.is_admin:
        matches = or_(matches, Person.email.ilike(contains_pattern(search), escape="\\"))
    return matches

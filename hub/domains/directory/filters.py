"""What the directory's lists hold and how they filter, as where-clauses: one definition for the
API's normal path (hub/interfaces/graphql/directory/queries.py) and the compiled read path (its
mapping), so both select the same rows."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, or_

from hub.access.auth.viewer import Viewer
from hub.infrastructure.models import Organization, Person
from hub.infrastructure.models.directory import AnchorRole, OrganizationKind, Sector
from hub.infrastructure.search import contains_pattern, matches_words


@dataclass(frozen=True)
class OrganizationFilter:
    """All given filters combine; `search` matches words of the name (`organizations_matching`)."""

    kind: OrganizationKind | None = None
    anchor_role: AnchorRole | None = None
    sector: Sector | None = None
    region: str | None = None
    search: str | None = None


def organization_conditions(wanted: OrganizationFilter) -> list[ColumnElement[bool]]:
    equal_to = (
        (Organization.kind, wanted.kind),
        (Organization.anchor_role, wanted.anchor_role),
        (Organization.sector, wanted.sector),
        (Organization.region, wanted.region),
    )
    conditions = [organization_listed()]
    conditions += [column == value for column, value in equal_to if value is not None]
    if wanted.search:
        conditions.append(organizations_matching(wanted.search))
    return conditions


def people_conditions(viewer: Viewer, search: str | None) -> list[ColumnElement[bool]]:
    if not search:
        return [person_listed()]
    return [person_listed(), people_matching(viewer, search)]


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

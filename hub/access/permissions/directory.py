"""The directory: organizations are public; people are seen by the alliance's members.

Members are the people of MEMBER and STRATEGIC_PARTNER organizations (`Viewer.is_member`).
Anyone else signed in (people of ALLY and PEER organizations, or of none) sees their own
person and affiliations, and, as a host organization's contact, the people coming to what it
hosts (who is coming is theirs to see: hub/access/permissions/convenings.py)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, or_, select, true
from sqlalchemy.orm import InstrumentedAttribute

from hub.access.auth.viewer import Viewer
from hub.access.permissions.convenings import hosted_rsvps
from hub.access.permissions.errors import Forbidden, NotSignedIn
from hub.infrastructure.models import Affiliation, Person, Rsvp


def organization_rows(viewer: Viewer) -> ColumnElement[bool]:
    """Every organization's public fields are public: peers ask who is in the alliance."""
    return true()


def person_rows(viewer: Viewer) -> ColumnElement[bool]:
    """People (names, affiliations) are seen by the alliance's members, not by the public nor
    by API clients: a person's place in a movement is theirs to share."""
    return _people_seen(viewer, Person.id)


def surely_sees_person(viewer: Viewer, person_id: int) -> bool:
    """Whether `person_rows` shows this person to the viewer, decided without the database:
    admins and members see everyone, anyone signed in themself. False: it may still (a host
    contact sees the people coming to what they host), which only the database can say."""
    return (
        viewer.is_admin or viewer.is_member or (viewer.is_person and person_id == viewer.person_id)
    )


def surely_sees_organizations(viewer: Viewer) -> bool:
    """Whether `organization_rows` shows every organization to the viewer: always."""
    return True


def own_person_row(viewer: Viewer) -> ColumnElement[bool]:
    return Person.id == viewer.person_id if viewer.person_id else false()


def affiliation_rows(viewer: Viewer) -> ColumnElement[bool]:
    """Who belongs where is seen by whoever may see the people."""
    return _people_seen(viewer, Affiliation.person_id)


def _people_seen(viewer: Viewer, person_id: InstrumentedAttribute[int]) -> ColumnElement[bool]:
    if viewer.is_admin or viewer.is_member:
        return true()
    if not viewer.is_person:
        return false()
    hosted_attendees = select(Rsvp.person_id).where(hosted_rsvps(viewer))
    return or_(person_id == viewer.person_id, person_id.in_(hosted_attendees))


def contact_details_visible(
    viewer: Viewer, person_id: InstrumentedAttribute[int]
) -> ColumnElement[bool]:
    """Emails, phones and languages, on the column holding the person's id: admins and the
    person themself. Both read paths select it (hub/interfaces/graphql/directory/loaders.py,
    mapping.py)."""
    if viewer.is_admin:
        return true()
    return person_id == viewer.person_id if viewer.person_id else false()


def require_admin(viewer: Viewer) -> None:
    if not viewer.is_person and not viewer.client_id:
        raise NotSignedIn()
    if not viewer.is_admin:
        raise Forbidden("Only alliance admins may change the directory.")


def require_people_import(viewer: Viewer) -> None:
    """Importing people from a spreadsheet (and previewing it, which shows their contact
    details): alliance admins only, never API clients."""
    if not viewer.is_person and not viewer.client_id:
        raise NotSignedIn()
    if not viewer.is_admin:
        raise Forbidden("Only alliance admins may import people.")


def require_person(viewer: Viewer) -> None:
    if not viewer.is_person:
        raise NotSignedIn()

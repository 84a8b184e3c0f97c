"""Convenings and RSVPs: who may see a convening, manage it, see who is coming and their needs,
and answer for whom.

- A convening is seen by visibility: PUBLIC by anyone (API clients and anonymous callers too);
  MEMBERS by signed-in people affiliated with any organization; COMMITTEE by committee seat
  holders and alternates. Admins and the host organizations' contacts always see it.
- It is managed (changed, cancelled, checked in at the door, exported) by admins and the
  contacts of a host organization.
- Who is coming (the RSVP list) is seen by admins and by signed-in people affiliated with an
  organization, for the convenings they may see (host contacts are affiliated, so included).
  Anyone signed in sees their own RSVP. Anonymous callers and API clients see counts only.
- Needs (interpretation, access, childcare, dietary) are seen by admins, host contacts and the
  person themself, and by no one else: not even the contact who answered for them.
- A person answers for themself; a CONTACT of organization O answers for people affiliated
  with O, as O's delegation.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, and_, exists, false, or_, select, true

from hub.auth.viewer import Viewer
from hub.models import Convening, ConveningHost, Rsvp
from hub.models.convenings import Visibility
from hub.permissions.errors import Forbidden, NotSignedIn


def convening_rows(viewer: Viewer) -> ColumnElement[bool]:
    if viewer.is_admin:
        return true()
    allowed: list[ColumnElement[bool]] = [Convening.visibility == Visibility.PUBLIC]
    if viewer.is_person and viewer.is_affiliated:
        allowed.append(Convening.visibility == Visibility.MEMBERS)
    if viewer.is_person and viewer.is_committee_member:
        allowed.append(Convening.visibility == Visibility.COMMITTEE)
    if viewer.is_person and viewer.contact_org_ids:
        allowed.append(_hosted_by_any(viewer.contact_org_ids))
    return or_(*allowed)


def _hosted_by_any(organization_ids: Iterable[int]) -> ColumnElement[bool]:
    return exists().where(
        ConveningHost.convening_id == Convening.id,
        ConveningHost.organization_id.in_(sorted(organization_ids)),
    )


def visible_convening_ids(viewer: Viewer) -> ColumnElement[bool]:
    """The convenings' ids this viewer may see, as a predicate on `Rsvp.convening_id`."""
    return Rsvp.convening_id.in_(select(Convening.id).where(convening_rows(viewer)))


def rsvp_rows(viewer: Viewer) -> ColumnElement[bool]:
    if viewer.is_admin:
        return true()
    if not viewer.is_person:
        return false()
    own = Rsvp.person_id == viewer.person_id
    if viewer.is_affiliated:
        return or_(own, visible_convening_ids(viewer))
    return and_(own, visible_convening_ids(viewer))


def may_see_attendees(viewer: Viewer) -> bool:
    """Whether the list of who is coming shows, for a convening the viewer already sees."""
    return viewer.is_admin or (viewer.is_person and viewer.is_affiliated)


def is_host_contact(viewer: Viewer, host_ids: Iterable[int]) -> bool:
    return viewer.is_person and not viewer.contact_org_ids.isdisjoint(host_ids)


def may_manage(viewer: Viewer, host_ids: Iterable[int]) -> bool:
    return viewer.is_admin or is_host_contact(viewer, host_ids)


def may_see_needs(viewer: Viewer, host_ids: Iterable[int], person_id: int) -> bool:
    return may_manage(viewer, host_ids) or viewer.person_id == person_id


def may_see_needs_totals(viewer: Viewer, host_ids: Iterable[int]) -> bool:
    return may_manage(viewer, host_ids)


def may_answer_for(viewer: Viewer, person_id: int, organization_id: int | None) -> bool:
    """Yourself, or as the contact of the organization the person is answered for (the caller
    still checks that the person is affiliated with it)."""
    if viewer.person_id == person_id:
        return True
    return organization_id is not None and organization_id in viewer.contact_org_ids


def require_person(viewer: Viewer) -> None:
    if not viewer.is_person:
        raise NotSignedIn()


def require_may_schedule(viewer: Viewer) -> None:
    """Admins and contacts of some organization may schedule convenings (hosted by their own)."""
    require_person(viewer)
    if not viewer.is_admin and not viewer.contact_org_ids:
        raise Forbidden("Only alliance admins and organizations' contacts may schedule convenings.")


def require_manage(viewer: Viewer, host_ids: Iterable[int]) -> None:
    require_person(viewer)
    if not may_manage(viewer, host_ids):
        raise Forbidden("Only alliance admins and the host organizations' contacts may do this.")

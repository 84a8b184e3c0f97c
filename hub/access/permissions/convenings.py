"""Convenings and RSVPs: who may see a convening, manage it, see who is coming and their needs,
and answer for whom.

- A convening is seen by visibility: PUBLIC by anyone (API clients and anonymous callers too);
  MEMBERS by members (people of MEMBER and STRATEGIC_PARTNER organizations, not of ALLY or
  PEER ones: `Viewer.is_member`); COMMITTEE by committee seat holders and alternates. Admins
  and the host organizations' contacts always see it.
- It is managed (changed, cancelled, checked in at the door, exported) by admins and the
  contacts of a host organization.
- Who is coming (the RSVP list) is seen by admins and members, for the convenings they may
  see, and by the host organizations' contacts (of any kind of organization). Anyone signed in
  sees their own RSVP. Anonymous callers, API clients and the people of ALLY and PEER
  organizations see counts only.
- Needs (interpretation, access, childcare, dietary) are seen by admins, host contacts and the
  person themself, and by no one else: not even the contact who answered for them.
- The attendees' emails and phones (the planners' export, the list at the door), the messages
  sent to the attendees, and sending one, and registering a walk-in at the door: admins and the
  host organizations' contacts, for the convenings they host (`may_manage`).
- A person answers for themself; a CONTACT of organization O answers for people affiliated
  with O, as O's delegation, to the convenings that person may see.
- What the hub sends a person about a convening (emails, their calendar feed) carries it only
  if that person may see it: the same row rule, applied to the recipient (`seen_by`).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, and_, exists, false, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from hub.access.auth.viewer import Viewer, load_person_viewer
from hub.access.permissions.errors import Forbidden, NotSignedIn
from hub.infrastructure.models import Convening, ConveningHost, Rsvp
from hub.infrastructure.models.convenings import Visibility


def convening_rows(viewer: Viewer) -> ColumnElement[bool]:
    if viewer.is_admin:
        return true()
    allowed: list[ColumnElement[bool]] = [Convening.visibility == Visibility.PUBLIC]
    if viewer.is_member:
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


async def seen_by(session: AsyncSession, convening_id: int, person_ids: Iterable[int]) -> set[int]:
    """Those of these people who may see the convening: `convening_rows` for each one's
    viewer, as the API would decide it if they asked."""
    seen = set()
    for person_id in dict.fromkeys(person_ids):
        viewer = await load_person_viewer(session, person_id)
        visible = select(Convening.id).where(Convening.id == convening_id)
        if viewer is not None and await session.scalar(visible.where(convening_rows(viewer))):
            seen.add(person_id)
    return seen


def visible_convening_ids(viewer: Viewer) -> ColumnElement[bool]:
    """The convenings' ids this viewer may see, as a predicate on `Rsvp.convening_id`."""
    return Rsvp.convening_id.in_(select(Convening.id).where(convening_rows(viewer)))


def rsvp_rows(viewer: Viewer) -> ColumnElement[bool]:
    if viewer.is_admin:
        return true()
    if not viewer.is_person:
        return false()
    own = Rsvp.person_id == viewer.person_id
    if viewer.is_member:
        return or_(own, visible_convening_ids(viewer))
    return or_(and_(own, visible_convening_ids(viewer)), hosted_rsvps(viewer))


def hosted_rsvps(viewer: Viewer) -> ColumnElement[bool]:
    """The RSVPs to the convenings hosted by the viewer's contact organizations."""
    if not viewer.is_person or not viewer.contact_org_ids:
        return false()
    hosted = select(ConveningHost.convening_id).where(
        ConveningHost.organization_id.in_(sorted(viewer.contact_org_ids))
    )
    return Rsvp.convening_id.in_(hosted)


def may_see_attendees(viewer: Viewer, host_ids: Iterable[int]) -> bool:
    """Whether the list of who is coming shows, for a convening the viewer already sees."""
    return viewer.is_admin or viewer.is_member or is_host_contact(viewer, host_ids)


def attendees_visible(viewer: Viewer) -> ColumnElement[bool]:
    """`may_see_attendees` as SQL on the convening's row (for the compiled read path)."""
    if viewer.is_admin or viewer.is_member:
        return true()
    if viewer.is_person and viewer.contact_org_ids:
        return _hosted_by_any(viewer.contact_org_ids)
    return false()


def attendees_decided(viewer: Viewer) -> bool | None:
    """`may_see_attendees` when it is the same for every convening, else None (it depends on
    the convening's hosts): the normal path then skips loading the hosts."""
    if viewer.is_admin or viewer.is_member:
        return True
    return None if viewer.is_person and viewer.contact_org_ids else False


def is_host_contact(viewer: Viewer, host_ids: Iterable[int]) -> bool:
    return viewer.is_person and not viewer.contact_org_ids.isdisjoint(host_ids)


def may_manage(viewer: Viewer, host_ids: Iterable[int]) -> bool:
    return viewer.is_admin or is_host_contact(viewer, host_ids)


def may_see_needs(viewer: Viewer, host_ids: Iterable[int], person_id: int) -> bool:
    return may_manage(viewer, host_ids) or viewer.person_id == person_id


def needs_totals_visible(viewer: Viewer) -> ColumnElement[bool]:
    """Whether the viewer may see a convening's needs totals, as SQL on its row: whoever may
    manage it (`may_manage`), for both read paths."""
    if viewer.is_admin:
        return true()
    if viewer.is_person and viewer.contact_org_ids:
        return _hosted_by_any(viewer.contact_org_ids)
    return false()


def may_see_attendee_contacts(viewer: Viewer, host_ids: Iterable[int]) -> bool:
    """The emails and phones of those who answered: the planners need to reach them."""
    return may_manage(viewer, host_ids)


def may_see_attendee_messages(viewer: Viewer, host_ids: Iterable[int]) -> bool:
    return may_manage(viewer, host_ids)


def require_may_message_attendees(viewer: Viewer, host_ids: Iterable[int]) -> None:
    require_manage(viewer, host_ids)


def require_may_register_walk_in(viewer: Viewer, host_ids: Iterable[int]) -> None:
    require_manage(viewer, host_ids)


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


def require_may_see_series_list(viewer: Viewer) -> None:
    """The list of every series is for those who schedule convenings (to choose one); a
    convening's own series shows wherever the convening does."""
    require_may_schedule(viewer)


def require_may_manage_series(viewer: Viewer) -> None:
    """Series are the alliance's: only admins create and rename them (a host contact may put
    a convening of theirs in one)."""
    require_person(viewer)
    if not viewer.is_admin:
        raise Forbidden("Only alliance admins may create or rename series.")

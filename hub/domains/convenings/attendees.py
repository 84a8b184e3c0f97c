"""The attendee list as planners export it: one row per RSVP, with needs and check-in, and the
email and phone the planners reach each person at (hub/access/permissions/convenings.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import case, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.access.auth.viewer import Viewer
from hub.access.permissions import convenings as rules
from hub.common.errors import NotFound
from hub.delivery.email.addresses import reachable_email
from hub.domains.convenings import lookup
from hub.infrastructure.models import Convening, Organization, Person, Rsvp
from hub.infrastructure.models.convenings import RsvpStatus

# People registered at the door without an email get an address here (a unique column needs
# one): the reserved `.invalid` domain (RFC 2606), which no mail ever reaches.
NO_EMAIL_DOMAIN = "walk-in.invalid"

STATUS_ORDER = case(
    {RsvpStatus.GOING: 0, RsvpStatus.WAITLISTED: 1, RsvpStatus.MAYBE: 2},
    value=Rsvp.status,
    else_=3,
)


@dataclass(frozen=True)
class Attendee:
    person: str
    organization: str | None
    status: RsvpStatus
    waitlist_position: int | None
    interpretation_language: str | None
    accessibility: list[str]
    accessibility_note: str
    childcare_count: int
    dietary: str
    checked_in_at: datetime | None
    email: str
    phone: str
    walk_in: bool


async def attendees(
    session: AsyncSession, viewer: Viewer, convening_id: int
) -> tuple[Convening, list[Attendee]]:
    """GOING first, then the waitlist in order, then MAYBE and NOT_GOING; times shown in the
    convening's zone. Admins and host contacts only."""
    convening = await session.scalar(
        lookup.visible_convenings(viewer).where(Convening.id == convening_id)
    )
    if convening is None:
        raise NotFound("convening")
    rules.require_manage(viewer, await lookup.host_ids(session, convening.id))
    statement = (
        select(Rsvp, Person, Organization.name)
        .join(Person, Person.id == Rsvp.person_id)
        .outerjoin(Organization, Organization.id == Rsvp.organization_id)
        .where(Rsvp.convening_id == convening.id)
        .order_by(STATUS_ORDER, Rsvp.waitlist_position, Person.name, Rsvp.id)
        .execution_options(populate_existing=True)
    )
    zone = ZoneInfo(convening.time_zone)
    rows = (await session.execute(statement)).all()
    return convening, [_attendee(rsvp, person, org, zone) for rsvp, person, org in rows]


def _attendee(rsvp: Rsvp, person: Person, organization: str | None, zone: ZoneInfo) -> Attendee:
    return Attendee(
        person=person.name,
        organization=organization or rsvp.walk_in_organization,
        status=rsvp.status,
        waitlist_position=rsvp.waitlist_position,
        interpretation_language=rsvp.interpretation_language,
        accessibility=list(rsvp.accessibility),
        accessibility_note=rsvp.accessibility_note,
        childcare_count=rsvp.childcare_count,
        dietary=rsvp.dietary,
        checked_in_at=rsvp.checked_in_at.astimezone(zone) if rsvp.checked_in_at else None,
        email=reachable_email(person.email) or "",
        phone=person.phone or "",
        walk_in=rsvp.walk_in,
    )

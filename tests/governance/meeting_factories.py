"""Factories for committee meetings: the meeting, its people checked in at the door, proxies."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hub.domains.convenings.attendance import check_in
from hub.domains.governance import proxies
from hub.infrastructure.models import Convening, Person, Proxy, Rsvp
from hub.infrastructure.models.convenings import ConveningKind, RsvpStatus, Visibility
from tests.governance.factories import SeatedOrganization, admin_viewer

MEETING_STARTS = datetime(2026, 3, 1, 17, tzinfo=UTC)


async def create_meeting(session: AsyncSession, **overrides: Any) -> Convening:
    values: dict[str, Any] = {
        "title": "Coordinating Committee, first quarter",
        "kind": ConveningKind.COMMITTEE_MEETING,
        "starts_at": MEETING_STARTS,
        "ends_at": MEETING_STARTS + timedelta(hours=3),
        "time_zone": "America/Los_Angeles",
        "visibility": Visibility.MEMBERS,
    }
    values.update(overrides)
    meeting = Convening(**values)
    session.add(meeting)
    await session.flush()
    return meeting


async def check_in_at(
    session: AsyncSession, meeting: Convening, person: Person, admin: Person
) -> Rsvp:
    """The person answers GOING and is checked in at the door, through the real check-in."""
    rsvp = Rsvp(convening_id=meeting.id, person_id=person.id, status=RsvpStatus.GOING)
    session.add(rsvp)
    await session.flush()
    return await check_in(session, admin_viewer(admin), rsvp.id, undo=False)


async def give_proxy(
    session: AsyncSession,
    giving: SeatedOrganization,
    carrier: SeatedOrganization,
    *,
    meeting: Convening | None = None,
    proposal_id: int | None = None,
    now: datetime = MEETING_STARTS,
) -> Proxy:
    grant = proxies.ProxyGrant(
        seat_id=giving.seat.id,
        to_seat_id=carrier.seat.id,
        meeting_id=meeting.id if meeting else None,
        proposal_id=proposal_id,
    )
    return await proxies.grant_proxy(
        session, giving.holder_viewer, grant, max_per_person=1, now=now
    )

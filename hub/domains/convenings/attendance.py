"""Check-in at the door: the hosts record who came (and can undo a mistaken tap).

Whoever is checked in is in the room, so their answer becomes GOING whatever it was (MAYBE,
NOT_GOING, or WAITLISTED: they leave the waitlist), even past capacity: `attended` counts the
GOING answers checked in, and "3 of 3 checked in" then means what a door volunteer reads.
Undoing a check-in clears the arrival only; the answer stays GOING."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from hub.access.auth.viewer import Viewer
from hub.access.permissions import convenings as rules
from hub.common.errors import InputError
from hub.delivery.notifications import convenings as notify
from hub.domains.convenings import lookup, waitlist
from hub.domains.convenings.errors import ConveningErrorCode as Code
from hub.domains.sync.changes import touch
from hub.infrastructure.models import Rsvp
from hub.infrastructure.models.base import utcnow
from hub.infrastructure.models.convenings import ConveningStatus, RsvpStatus


async def check_in(session: AsyncSession, viewer: Viewer, rsvp_id: int, *, undo: bool) -> Rsvp:
    """Marks the RSVP's person as arrived, and GOING; checking in twice keeps the first
    arrival time. Anyone with an RSVP may be checked in, whatever they answered."""
    rules.require_person(viewer)
    found = await lookup.visible_rsvp(session, viewer, rsvp_id)
    rules.require_manage(viewer, await lookup.host_ids(session, found.convening_id))
    convening = await lookup.locked_convening(session, viewer, found.convening_id)
    rsvp = await lookup.visible_rsvp(session, viewer, rsvp_id)  # fresh, under the lock
    if convening.status == ConveningStatus.CANCELLED:
        raise InputError("rsvpId", Code.CONVENING_CANCELLED, "This convening is cancelled.")
    if undo:
        rsvp.checked_in_at = None
    elif rsvp.checked_in_at is None:
        rsvp.checked_in_at = utcnow()
    admitted = not undo and rsvp.status != RsvpStatus.GOING
    if admitted:
        await waitlist.admit(session, convening, rsvp)
    touch(convening)  # the attended count shows on the convening
    await session.flush()
    if admitted:
        await notify.rsvp_counts_changed(session, convening)
    return rsvp

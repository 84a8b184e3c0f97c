"""Check-in at the door: the hosts record who came (and can undo a mistaken tap)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from hub.auth.viewer import Viewer
from hub.convenings import lookup
from hub.convenings.errors import ConveningErrorCode as Code
from hub.errors import InputError
from hub.models import Convening, Rsvp
from hub.models.base import utcnow
from hub.models.convenings import ConveningStatus
from hub.permissions import convenings as rules
from hub.sync.changes import touch


async def check_in(session: AsyncSession, viewer: Viewer, rsvp_id: int, *, undo: bool) -> Rsvp:
    """Marks the RSVP's person as arrived; checking in twice keeps the first arrival time.
    Anyone with an RSVP may be checked in, whatever they answered: they are at the door."""
    rules.require_person(viewer)
    rsvp = await lookup.visible_rsvp(session, viewer, rsvp_id)
    rules.require_manage(viewer, await lookup.host_ids(session, rsvp.convening_id))
    convening = await session.get(Convening, rsvp.convening_id)
    if convening is not None and convening.status == ConveningStatus.CANCELLED:
        raise InputError("rsvpId", Code.CONVENING_CANCELLED, "This convening is cancelled.")
    if undo:
        rsvp.checked_in_at = None
    elif rsvp.checked_in_at is None:
        rsvp.checked_in_at = utcnow()
    if convening is not None:
        touch(convening)  # the attended count shows on the convening
    await session.flush()
    return rsvp

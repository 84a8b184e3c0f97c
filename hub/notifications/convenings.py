"""Messages caused by convenings and RSVPs. Called by hub/convenings services, inside the
same transaction as the change. Until the email work fills them in, they write nothing."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from hub.models import Convening, Rsvp
from hub.models.convenings import RsvpStatus


async def rsvp_answered(
    session: AsyncSession, rsvp: Rsvp, convening: Convening, previous: RsvpStatus | None
) -> None:
    """An RSVP was created or its status changed (GOING, MAYBE, NOT_GOING, WAITLISTED),
    including a cancelled RSVP (status NOT_GOING)."""


async def waitlist_promoted(session: AsyncSession, rsvp: Rsvp, convening: Convening) -> None:
    """A WAITLISTED RSVP became GOING because a place freed up."""


async def convening_changed(session: AsyncSession, convening: Convening, *, material: bool) -> None:
    """A convening was updated; `material` when time, place or status changed (its
    `sequence` has then already been raised)."""


async def convening_cancelled(session: AsyncSession, convening: Convening) -> None:
    """A convening was cancelled (status CANCELLED, sequence raised)."""

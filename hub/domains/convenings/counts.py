"""How a convening's RSVPs stand (`Convening.counts`), as SQL on the convening's row: one
definition for the API's loader, its compiled read path and the webhooks' payload. Counts are
shown to whoever sees the convening, so no RSVP row rule applies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.infrastructure.models import Convening, Rsvp
from hub.infrastructure.models.convenings import RsvpStatus


@dataclass(frozen=True)
class RsvpCounts:
    going: int = 0
    maybe: int = 0
    waitlisted: int = 0
    not_going: int = 0
    attended: int = 0
    organizations_represented: int = 0


def _rsvps_counted(counted: Any, status: RsvpStatus) -> ColumnElement[int]:
    """Over the convening's RSVPs of `status`, as a subquery correlated to its row."""
    aggregate = func.count() if counted is None else func.count(counted)
    where = (Rsvp.convening_id == Convening.id, Rsvp.status == literal(status.value))
    return select(aggregate).where(*where).scalar_subquery()


# Keyed by RsvpCounts' fields.
COLUMNS: dict[str, ColumnElement[int]] = {
    # Kept equal to the GOING RSVPs under the convening's row lock (convenings/waitlist.py):
    # reading it costs nothing, where counting reads every GOING RSVP of every convening.
    "going": Convening.going_count.expression,
    "maybe": _rsvps_counted(None, RsvpStatus.MAYBE),
    "waitlisted": _rsvps_counted(None, RsvpStatus.WAITLISTED),
    "not_going": _rsvps_counted(None, RsvpStatus.NOT_GOING),
    "attended": _rsvps_counted(Rsvp.checked_in_at, RsvpStatus.GOING),
    "organizations_represented": _rsvps_counted(Rsvp.organization_id.distinct(), RsvpStatus.GOING),
}


async def counts_by_convening(
    session: AsyncSession, *where: ColumnElement[bool]
) -> dict[int, RsvpCounts]:
    """The counts of each convening `where` selects, in one statement."""
    labelled = [column.label(name) for name, column in COLUMNS.items()]
    rows = await session.execute(select(Convening.id, *labelled).where(*where))
    return {row.id: RsvpCounts(**{name: row._mapping[name] for name in COLUMNS}) for row in rows}

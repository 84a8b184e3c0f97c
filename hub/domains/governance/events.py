"""The audit trail of the committee's actions. A secret ballot's choice never enters it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.access.auth.viewer import Viewer
from hub.access.permissions import governance as rules
from hub.infrastructure.models import GovernanceEvent
from hub.infrastructure.models.governance import GovernanceAction


async def record_event(
    session: AsyncSession,
    action: GovernanceAction,
    *,
    now: datetime,
    actor: Viewer | None = None,
    proposal_id: int | None = None,
    seat_id: int | None = None,
    detail: str = "",
) -> GovernanceEvent:
    event = GovernanceEvent(
        action=action,
        actor_id=actor.person_id if actor else None,
        proposal_id=proposal_id,
        seat_id=seat_id,
        detail=detail,
        created_at=now,
    )
    session.add(event)
    await session.flush()
    return event


def visible_events(viewer: Viewer) -> Select[GovernanceEvent]:
    return select(GovernanceEvent).where(rules.event_rows(viewer))

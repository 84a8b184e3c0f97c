"""The admins' audit trail (audit_events): who changed what that is not the committee's
business. Writers add one entry in the same transaction as the change itself."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.infrastructure.models import AuditEvent


async def record_audit(
    session: AsyncSession, *, action: str, actor_id: int | None, detail: str, now: datetime
) -> AuditEvent:
    event = AuditEvent(action=action, actor_id=actor_id, detail=detail, created_at=now)
    session.add(event)
    await session.flush()
    return event


def audit_trail(action: str | None = None) -> Select[AuditEvent]:
    """The trail's entries, of one action when given (the caller orders them)."""
    statement = select(AuditEvent)
    if action is not None:
        statement = statement.where(AuditEvent.action == action)
    return statement


def audit_actions() -> Select[str]:
    """The actions the trail holds, by name: what a filter offers."""
    return select(AuditEvent.action).distinct().order_by(AuditEvent.action)

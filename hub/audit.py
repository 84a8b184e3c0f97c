"""The admins' audit trail (audit_events): who changed what that is not the committee's
business. Writers add one entry in the same transaction as the change itself."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from hub.models import AuditEvent


async def record_audit(
    session: AsyncSession, *, action: str, actor_id: int | None, detail: str, now: datetime
) -> AuditEvent:
    event = AuditEvent(action=action, actor_id=actor_id, detail=detail, created_at=now)
    session.add(event)
    await session.flush()
    return event

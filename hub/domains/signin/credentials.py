"""Everything the hub issued to one person, ended at once: "sign out everywhere", an admin's
doing, or the person's removal (whatever removes or merges people calls this)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from hub.access.auth.personal_tokens import revoke_tokens_of
from hub.domains.signin.sessions import SessionEnd, end_sessions_of
from hub.infrastructure.audit import record_audit

SIGNED_OUT_BY_ADMIN = "person.signed_out_everywhere_by_admin"


@dataclass(frozen=True)
class Ended:
    sessions: int
    tokens: int


async def end_credentials_of(
    session: AsyncSession,
    person_id: int,
    *,
    actor_id: int | None,
    reason: SessionEnd,
    now: datetime,
) -> Ended:
    """Ends every session and revokes every token of the person. Audited unless the person
    did it themself."""
    ended = Ended(
        sessions=await end_sessions_of(session, person_id, reason, now),
        tokens=await revoke_tokens_of(session, person_id, actor_id=actor_id, now=now),
    )
    if actor_id != person_id:
        detail = f"person {person_id}: {ended.sessions} sessions, {ended.tokens} tokens"
        action = SIGNED_OUT_BY_ADMIN if reason is SessionEnd.ENDED_BY_ADMIN else str(reason)
        await record_audit(session, action=action, actor_id=actor_id, detail=detail, now=now)
    return ended

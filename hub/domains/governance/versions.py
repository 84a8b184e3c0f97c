"""The versions of a proposal's text. Version 1 is the text as first written; each change of
the body (an accepted amendment, or an edit by its writers) adds the next. A proposal whose
text never changed has no rows: its one version is the proposal's own body, and the first
change writes that down as version 1 before adding version 2."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.infrastructure.models import Proposal, ProposalVersion


async def current_version(session: AsyncSession, proposal_id: int) -> int:
    latest = await session.scalar(
        select(func.max(ProposalVersion.number)).where(ProposalVersion.proposal_id == proposal_id)
    )
    return int(latest or 1)


async def record_new_text(
    session: AsyncSession,
    proposal: Proposal,
    previous_body: str,
    *,
    actor_id: int | None,
    amendment_id: int | None = None,
    now: datetime,
) -> ProposalVersion:
    """Call with the proposal's row locked and its new body set; returns the new version."""
    latest = await session.scalar(
        select(func.max(ProposalVersion.number)).where(ProposalVersion.proposal_id == proposal.id)
    )
    if latest is None:
        session.add(
            ProposalVersion(
                proposal_id=proposal.id,
                number=1,
                body=previous_body,
                created_by_id=proposal.created_by_id,
                created_at=proposal.created_at,
            )
        )
    version = ProposalVersion(
        proposal_id=proposal.id,
        number=int(latest or 1) + 1,
        body=proposal.body,
        amendment_id=amendment_id,
        created_by_id=actor_id,
        created_at=now,
    )
    session.add(version)
    await session.flush()
    return version

"""Messages caused by the Coordinating Committee's votes. Called by hub/governance services,
inside the same transaction as the change. Until the email work fills them in, they write
nothing."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from hub.models import Proposal


async def voting_opened(session: AsyncSession, proposal: Proposal) -> None:
    """Voting opened on a proposal; its eligible seats are fixed."""


async def result_recorded(session: AsyncSession, proposal: Proposal) -> None:
    """Voting closed and the proposal's outcome was stored."""

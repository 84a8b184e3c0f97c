"""Committee seats and proposals in voting, for the governance messages and reminders.
(Convenings and RSVPs come from tests/convenings/factories.py.)"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hub.infrastructure.models import (
    CommitteeSeat,
    EligibleSeat,
    Organization,
    Person,
    Proposal,
    Vote,
)
from hub.infrastructure.models.base import utcnow
from hub.infrastructure.models.governance import Ballot, ProposalStatus, VoteChoice, VotingRule
from tests.factories import create_organization


async def create_seat(
    session: AsyncSession,
    holder: Person | None,
    alternate: Person | None = None,
    organization: Organization | None = None,
) -> CommitteeSeat:
    seat = CommitteeSeat(
        organization_id=(organization or await create_organization(session)).id,
        holder_id=holder.id if holder else None,
        alternate_id=alternate.id if alternate else None,
    )
    session.add(seat)
    await session.flush()
    return seat


async def create_proposal_in_voting(
    session: AsyncSession, seats: list[CommitteeSeat], **overrides: Any
) -> Proposal:
    """A proposal whose voting window is open, the given seats eligible."""
    values: dict[str, Any] = {
        "title": "Adopt the 2027 platform",
        "summary": "Five demands for the session.",
        "status": ProposalStatus.VOTING,
        "voting_rule": VotingRule.MAJORITY,
        "ballot": Ballot.RECORDED,
        "voting_opened_at": utcnow() - timedelta(days=2),
        "voting_closes_at": utcnow() + timedelta(days=3),
    }
    values.update(overrides)
    proposal = Proposal(**values)
    session.add(proposal)
    await session.flush()
    session.add_all(EligibleSeat(proposal_id=proposal.id, seat_id=seat.id) for seat in seats)
    await session.flush()
    return proposal


async def cast_vote(session: AsyncSession, proposal: Proposal, seat: CommitteeSeat) -> Vote:
    vote = Vote(
        proposal_id=proposal.id, seat_id=seat.id, cast_by_id=seat.holder_id, choice=VoteChoice.YES
    )
    session.add(vote)
    await session.flush()
    return vote

"""Decided proposals for the register's tests: a vote opened, cast and closed through the
services, so the outcome and tally are the hub's own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from hub.domains.governance import voting
from hub.infrastructure.models import FollowUpAction, Person, Proposal, ProposalSponsor
from hub.infrastructure.models.governance import Ballot, VoteChoice
from tests.governance.factories import (
    TEST_BALLOT_KEY,
    SeatedOrganization,
    admin_viewer,
    create_open_vote,
)


async def create_decision(
    session: AsyncSession,
    admin: Person,
    seats: list[SeatedOrganization],
    choices: list[VoteChoice],
    *,
    ballot: Ballot = Ballot.RECORDED,
    sponsor: SeatedOrganization | None = None,
) -> Proposal:
    """A proposal voted by `seats` (one choice each, in order) and closed by `admin`."""
    opened = datetime.now(UTC) - timedelta(hours=1)
    proposal = await create_open_vote(session, ballot=ballot, admin=admin, opened_at=opened)
    if sponsor is not None:
        session.add(
            ProposalSponsor(proposal_id=proposal.id, organization_id=sponsor.organization.id)
        )
    for seat, choice in zip(seats, choices, strict=False):
        await voting.cast_vote(
            session,
            seat.holder_viewer,
            proposal.id,
            choice,
            seat_id=seat.seat.id,
            ballot_key=TEST_BALLOT_KEY,
            now=datetime.now(UTC),
        )
    return await voting.close_voting(
        session, admin_viewer(admin), proposal.id, ballot_key=TEST_BALLOT_KEY, now=datetime.now(UTC)
    )


async def create_action(
    session: AsyncSession, proposal: Proposal, owner_id: int, **values
) -> FollowUpAction:  # type: ignore[no-untyped-def]
    action = FollowUpAction(
        proposal_id=proposal.id,
        organization_id=owner_id,
        what=values.pop("what", "Report back"),
        notes=values.pop("notes", "Private note"),
        **values,
    )
    session.add(action)
    await session.flush()
    return action

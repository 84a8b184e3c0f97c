"""The committee's share of the differential tests' data: seats held, shared and vacated (one
held by a removed person), and proposals in every status, on RECORDED and SECRET ballots,
with votes; one RECORDED and one SECRET window past their close, their outcome not stored."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.infrastructure.models import CommitteeSeat, Organization, Person, Proposal, ProposalSponsor
from hub.infrastructure.models import Vote as VoteRow
from hub.infrastructure.models.base import utcnow
from hub.infrastructure.models.governance import (
    Ballot,
    ProposalStatus,
    VoteChoice,
    VoterRole,
    VotingRule,
)
from hub.interfaces.graphql.node import to_global_id
from tests.factories import create_person


async def seed_governance(
    session: AsyncSession, orgs: list[Organization], people: list[Person], convening_id: int
) -> dict[str, str]:
    """`people`: the admin and the committee member (who holds orgs[1]'s seat)."""
    admin, committee = people
    now = utcnow().replace(microsecond=0)
    removed = await create_person(session, name="Rita Removed", removed_at=now - timedelta(days=9))
    zeta = await _seat(session, orgs[1], committee, None)
    nandu = await _seat(session, orgs[3], removed, committee)
    vacated = await _seat(session, orgs[2], None, None, active=False)

    proposals: list[Proposal] = []

    def proposal(status: ProposalStatus, title: str, **values: object) -> Proposal:
        row = Proposal(
            title=title,
            summary=f"About {title}",
            body=f"# {title}\n\nText «{title}»",
            status=status,
            created_by_id=admin.id,
            created_at=now - timedelta(days=30 - len(proposals), microseconds=7),
            updated_at=now,
            **values,
        )
        session.add(row)
        proposals.append(row)
        return row

    def window(ballot: Ballot, opened: int, closes: int) -> dict[str, object]:
        return {
            "voting_rule": VotingRule.MAJORITY,
            "quorum": 0.667 if ballot is Ballot.RECORDED else 1.0,
            "ballot": ballot,
            "voting_opened_at": now - timedelta(days=opened),
            "voting_closes_at": now + timedelta(days=closes),
        }

    draft = proposal(ProposalStatus.DRAFT, "Draft charter", origin_convening_id=convening_id)
    proposal(ProposalStatus.DISCUSSION, "Discussed budget")
    proposal(ProposalStatus.WITHDRAWN, "Withdrawn idea")
    adopted = proposal(
        ProposalStatus.ADOPTED,
        "Adopted platform",
        origin_convening_id=convening_id,
        closed_at=now - timedelta(days=5),
        **window(Ballot.RECORDED, 8, -5),
    )
    rejected = proposal(
        ProposalStatus.REJECTED,
        "Rejected secret",
        closed_at=now - timedelta(days=4),
        **window(Ballot.SECRET, 7, -4),
    )
    open_recorded = proposal(
        ProposalStatus.VOTING, "Open recorded", **window(Ballot.RECORDED, 1, 2)
    )
    open_secret = proposal(ProposalStatus.VOTING, "Open secret", **window(Ballot.SECRET, 1, 3))
    passed_recorded = proposal(
        ProposalStatus.VOTING, "Passed recorded", **window(Ballot.RECORDED, 3, -1)
    )
    passed_secret = proposal(ProposalStatus.VOTING, "Passed secret", **window(Ballot.SECRET, 3, -1))
    await session.flush()
    for row, sponsors in ((draft, orgs[:2]), (adopted, [orgs[3], orgs[0]]), (rejected, orgs[4:])):
        session.add_all(ProposalSponsor(proposal_id=row.id, organization_id=o.id) for o in sponsors)

    def vote(row: Proposal, seat: CommitteeSeat, by: Person, choice: VoteChoice | None) -> None:
        secret = row.ballot is Ballot.SECRET
        role = VoterRole.HOLDER if by.id == seat.holder_id else VoterRole.ALTERNATE
        session.add(
            VoteRow(
                proposal_id=row.id,
                seat_id=seat.id,
                cast_by_id=by.id,
                choice=None if secret else choice,
                reason=None if secret or choice is not VoteChoice.YES else f"For «{row.title}»",
                cast_as=role,
            )
        )

    for row in (adopted, rejected, open_recorded, open_secret, passed_recorded, passed_secret):
        vote(row, zeta, committee, VoteChoice.YES)
        vote(row, nandu, committee, VoteChoice.NO)
    vote(adopted, vacated, admin, VoteChoice.ABSTAIN)  # a vacated seat keeps its past votes
    vote(rejected, vacated, admin, None)
    await session.flush()
    return {
        "seat": to_global_id("CommitteeSeat", nandu.id),
        "proposal": to_global_id("Proposal", adopted.id),
        "recorded vote": to_global_id("Vote", await _vote_id(session, passed_recorded, zeta)),
        "secret vote": to_global_id("Vote", await _vote_id(session, rejected, nandu)),
    }


async def _seat(
    session: AsyncSession,
    organization: Organization,
    holder: Person | None,
    alternate: Person | None,
    *,
    active: bool = True,
) -> CommitteeSeat:
    seat = CommitteeSeat(
        organization_id=organization.id,
        holder_id=holder.id if holder else None,
        alternate_id=alternate.id if alternate else None,
        active=active,
    )
    session.add(seat)
    await session.flush()
    return seat


async def _vote_id(session: AsyncSession, proposal: Proposal, seat: CommitteeSeat) -> int:
    found = await session.scalar(
        select(VoteRow.id).where(VoteRow.proposal_id == proposal.id, VoteRow.seat_id == seat.id)
    )
    assert found is not None
    return found

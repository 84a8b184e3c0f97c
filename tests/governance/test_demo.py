"""The demo committee: seats for anchors and strategic partners, and the January 2011 proposals."""

from __future__ import annotations

from sqlalchemy import select

from hub.demo import load_demo
from hub.infrastructure.models import (
    Affiliation,
    CommitteeSeat,
    FollowUpAction,
    Organization,
    Proposal,
)
from hub.infrastructure.models.directory import OrganizationKind
from hub.infrastructure.models.governance import ProposalStatus


async def test_the_demo_seats_the_committee_and_tables_three_proposals(session):
    summary = await load_demo(session)

    seated = (
        await session.execute(
            select(Organization, CommitteeSeat).join(
                CommitteeSeat, CommitteeSeat.organization_id == Organization.id
            )
        )
    ).all()
    proposals = {p.title: p for p in await session.scalars(select(Proposal))}
    affiliated = {
        (a.person_id, a.organization_id) for a in await session.scalars(select(Affiliation))
    }

    assert "17 seats, 3 proposals" in summary
    assert len(seated) == 17
    for organization, seat in seated:
        assert organization.anchor_role or organization.kind == OrganizationKind.STRATEGIC_PARTNER
        assert seat.active and seat.holder_id != seat.alternate_id
        assert (seat.holder_id, organization.id) in affiliated
        assert (seat.alternate_id, organization.id) in affiliated
    tax = proposals["A common long-term agenda on the state's tax and fiscal crisis"]
    communication = proposals["Shared strategic communication practice on the role of government"]
    election = proposals["A united effort around a possible special election"]
    assert (tax.status, (tax.result or {})["outcome"]) == (ProposalStatus.ADOPTED, "ADOPTED")
    assert communication.status is ProposalStatus.REJECTED
    assert (communication.result or {})["quorum_met"] is False
    assert election.status is ProposalStatus.VOTING
    assert election.voting_closes_at is not None and election.closed_at is None
    assert election.voting_closes_at > election.voting_opened_at  # type: ignore[operator]
    await session.rollback()


async def test_the_demo_s_adopted_decision_has_its_follow_up_actions(session):
    await load_demo(session)

    rows = (
        await session.execute(
            select(Proposal.title, FollowUpAction.what, FollowUpAction.status)
            .join(FollowUpAction, FollowUpAction.proposal_id == Proposal.id)
            .order_by(FollowUpAction.due_on)
        )
    ).all()

    tax = "A common long-term agenda on the state's tax and fiscal crisis"
    assert [(title, status.value) for title, _, status in rows] == [(tax, "DONE"), (tax, "OPEN")]

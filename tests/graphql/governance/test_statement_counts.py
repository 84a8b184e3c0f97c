"""Reading proposals with everything nested costs the same statements for 2 or 6 of them."""

from __future__ import annotations

from hub.infrastructure.models import (
    ProposalAmendment,
    ProposalComment,
    ProposalSponsor,
    ProposalVersion,
    Vote,
)
from hub.infrastructure.models.governance import AmendmentStatus, VoteChoice
from tests.conftest import empty_tables
from tests.factories import create_admin, create_organization
from tests.governance.factories import create_committee, create_open_vote

QUERY = """
{
  proposals {
    totalCount
    edges { node {
      title sponsors { name }
      tally { seatsEligible seatsVoted yes no }
      votes { choice castBy { name } seat { organization { name } holder { name } } }
      viewerSeats { id } viewerVote { choice }
      auditTrail { action actor { name } seat { id } }
      comments { body author { name } replies { body author { name } } }
      amendments { status version seat { id } proposedBy { name } }
      versions { number amendment { rationale } }
      version viewerDecidesAmendments
    } }
  }
  committee { organization { name } holder { name } alternate { name } }
}
"""


async def statements_for(session, gql, statements, proposals: int) -> int:
    committee = await create_committee(session, 3)
    admin = await create_admin(session)
    sponsor = await create_organization(session)
    for _ in range(proposals):
        proposal = await create_open_vote(session, admin=admin)
        session.add(ProposalSponsor(proposal_id=proposal.id, organization_id=sponsor.id))
        for seated in committee:
            vote = Vote(proposal_id=proposal.id, seat_id=seated.seat.id, choice=VoteChoice.YES)
            session.add(vote)
        await _discussion(session, proposal.id, committee[0])
    await session.commit()

    before = statements.count
    data = await gql.data(QUERY, as_=committee[0].holder)
    assert data["proposals"]["totalCount"] == proposals
    first = data["proposals"]["edges"][0]["node"]
    assert first["comments"][0]["replies"][0]["author"]["name"] is not None
    assert first["amendments"][0]["version"] == first["version"] == 2
    return statements.count - before


async def test_nested_proposal_reads_do_not_grow_with_proposals(session, gql, statements, runtime):
    few = await statements_for(session, gql, statements, 2)
    await empty_tables(runtime)
    many = await statements_for(session, gql, statements, 6)

    assert few == many


async def _discussion(session, proposal_id: int, seated) -> None:
    """A thread of a comment and a reply, and an accepted amendment making version 2."""
    comment = ProposalComment(proposal_id=proposal_id, author_id=seated.holder.id, body="A")
    session.add(comment)
    amendment = ProposalAmendment(
        proposal_id=proposal_id,
        seat_id=seated.seat.id,
        proposed_by_id=seated.holder.id,
        base_version=1,
        body="B",
        rationale="C",
        status=AmendmentStatus.ACCEPTED,
    )
    session.add(amendment)
    await session.flush()
    session.add(
        ProposalComment(
            proposal_id=proposal_id, parent_id=comment.id, author_id=seated.alternate.id, body="D"
        )
    )
    session.add_all(
        [
            ProposalVersion(proposal_id=proposal_id, number=1, body="A"),
            ProposalVersion(proposal_id=proposal_id, number=2, body="B", amendment_id=amendment.id),
        ]
    )

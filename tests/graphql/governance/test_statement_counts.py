"""Reading proposals with everything nested costs the same statements for 2 or 6 of them."""

from __future__ import annotations

from hub.models import ProposalSponsor, Vote
from hub.models.governance import VoteChoice
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
    await session.commit()

    before = statements.count
    data = await gql.data(QUERY, as_=committee[0].holder)
    assert data["proposals"]["totalCount"] == proposals
    return statements.count - before


async def test_nested_proposal_reads_do_not_grow_with_proposals(session, gql, statements, runtime):
    few = await statements_for(session, gql, statements, 2)
    await empty_tables(runtime)
    many = await statements_for(session, gql, statements, 6)

    assert few == many

"""The holder and the alternate voting for one seat at the same moment leave exactly one vote."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from hub.infrastructure.models import GovernanceEvent, Vote
from hub.infrastructure.models.governance import Ballot, GovernanceAction, VoteChoice
from hub.interfaces.graphql.node import to_global_id
from tests.governance.factories import create_committee, create_open_vote

CAST = """
mutation ($input: CastVoteInput!) {
  castVote(input: $input) { vote { id } errors { code } }
}
"""


async def counted(session, model, *where) -> int:
    found = await session.scalar(select(func.count()).select_from(model).where(*where))
    await session.commit()
    return int(found or 0)


@pytest.mark.parametrize("ballot", [Ballot.RECORDED, Ballot.SECRET])
async def test_simultaneous_votes_for_one_seat_leave_one_vote(session, gql, ballot):
    # Given one seat on an open vote
    (seated,) = await create_committee(session, 1)
    proposal = await create_open_vote(session, ballot=ballot)
    await session.commit()
    proposal_id = to_global_id("Proposal", proposal.id)

    # When its holder and its alternate vote at the same moment, three times over
    for _ in range(3):
        answers = await asyncio.gather(
            gql.post(
                CAST, {"input": {"proposalId": proposal_id, "choice": "YES"}}, as_=seated.holder
            ),
            gql.post(
                CAST, {"input": {"proposalId": proposal_id, "choice": "NO"}}, as_=seated.alternate
            ),
        )
        assert [a.json()["data"]["castVote"]["errors"] for a in answers] == [[], []]

    # Then the seat has exactly one vote (and, when secret, one sealed choice)
    assert await counted(session, Vote) == 1
    sealed = await counted(session, Vote, Vote.sealed_choice.is_not(None))
    assert sealed == (1 if ballot is Ballot.SECRET else 0)
    casts = await counted(
        session, GovernanceEvent, GovernanceEvent.action == GovernanceAction.VOTE_CAST
    )
    changes = await counted(
        session, GovernanceEvent, GovernanceEvent.action == GovernanceAction.VOTE_CHANGED
    )
    assert (casts, changes) == (1, 5)
    vote = await session.scalar(select(Vote))
    await session.commit()
    assert vote.cast_by_id in (seated.holder.id, seated.alternate.id)
    if ballot is Ballot.RECORDED:
        expected = VoteChoice.YES if vote.cast_by_id == seated.holder.id else VoteChoice.NO
        assert vote.choice is expected

"""openVoting, castVote and closeVoting through the API: who may, what is counted, and when."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update

from hub.infrastructure.models import GovernanceEvent, Proposal, Vote
from hub.infrastructure.models.governance import ProposalStatus, VoteChoice
from hub.interfaces.graphql.node import to_global_id
from tests.factories import affiliate, create_admin, create_organization, create_person
from tests.governance.factories import create_committee, create_open_vote, create_proposal

TALLY = (
    "tally { final seatsEligible seatsVoted quorumThreshold quorumMet "
    "yes no abstain block outcome }"
)
OPEN = """
mutation ($input: OpenVotingInput!) {
  openVoting(input: $input) {
    proposal { status votingRule quorum ballot votingClosesAt TALLY }
    errors { field code message }
  }
}
""".replace("TALLY", TALLY)
CAST = """
mutation ($input: CastVoteInput!) {
  castVote(input: $input) {
    vote { choice seat { organization { name } } castBy { name } }
    proposal { TALLY }
    errors { field code message }
  }
}
""".replace("TALLY", TALLY)
CLOSE = """
mutation ($input: CloseVotingInput!) {
  closeVoting(input: $input) {
    proposal { status closedAt TALLY }
    errors { field code message }
  }
}
""".replace("TALLY", TALLY)
READ = "query ($id: ID!) { node(id: $id) { ... on Proposal { status TALLY } } }".replace(
    "TALLY", TALLY
)


def pid(proposal) -> str:
    return to_global_id("Proposal", proposal.id)


async def state(session, proposal_id: int) -> tuple:
    """Everything a vote could change: the proposal, its votes, its audit trail."""
    proposal = await session.scalar(
        select(Proposal).where(Proposal.id == proposal_id).execution_options(populate_existing=True)
    )
    votes = (
        await session.execute(
            select(Vote.seat_id, Vote.choice).where(Vote.proposal_id == proposal_id)
        )
    ).all()
    events = await session.scalar(select(func.count()).select_from(GovernanceEvent))
    found = (proposal.status, proposal.closed_at, proposal.result, sorted(votes), events)
    await session.commit()
    return found


async def test_an_admin_opens_voting_and_fixes_the_eligible_seats(session, gql):
    await create_committee(session, 5)
    admin = await create_admin(session)
    proposal = await create_proposal(session)
    await session.commit()
    closes_at = datetime.now(UTC) + timedelta(days=3)

    variables = {
        "input": {
            "proposalId": pid(proposal),
            "rule": "TWO_THIRDS",
            "quorum": 0.6,
            "ballot": "RECORDED",
            "closesAt": closes_at.isoformat(),
        }
    }
    data = await gql.data(OPEN, variables, as_=admin)

    assert data["openVoting"]["errors"] == []
    opened = data["openVoting"]["proposal"]
    assert opened["status"] == "VOTING"
    assert (opened["votingRule"], opened["quorum"], opened["ballot"]) == (
        "TWO_THIRDS",
        0.6,
        "RECORDED",
    )
    assert datetime.fromisoformat(opened["votingClosesAt"]) == closes_at
    assert opened["tally"] == {
        "final": False,
        "seatsEligible": 5,
        "seatsVoted": 0,
        "quorumThreshold": 3,
        "quorumMet": False,
        "yes": 0,
        "no": 0,
        "abstain": 0,
        "block": 0,
        "outcome": None,
    }


async def test_only_admins_open_voting(session, gql):
    (seated,) = await create_committee(session, 1)
    proposal = await create_proposal(session)
    await session.commit()
    before = await state(session, proposal.id)

    variables = {
        "input": {
            "proposalId": pid(proposal),
            "rule": "MAJORITY",
            "quorum": 0.5,
            "ballot": "SECRET",
            "closesAt": (datetime.now(UTC) + timedelta(days=1)).isoformat(),
        }
    }
    body = await gql(OPEN, variables, as_=seated.holder)

    assert body["errors"][0]["extensions"] == {"code": "FORBIDDEN"}
    assert await state(session, proposal.id) == before


async def test_a_recorded_vote_counts_for_the_seat(session, gql):
    committee = await create_committee(session, 3)
    proposal = await create_open_vote(session)
    await session.commit()

    variables = {"input": {"proposalId": pid(proposal), "choice": "YES"}}
    data = await gql.data(CAST, variables, as_=committee[0].alternate)

    assert data["castVote"]["errors"] == []
    assert data["castVote"]["vote"] == {
        "choice": "YES",
        "seat": {"organization": {"name": committee[0].organization.name}},
        "castBy": {"name": committee[0].alternate.name},
    }
    assert data["castVote"]["proposal"]["tally"] == {
        "final": False,
        "seatsEligible": 3,
        "seatsVoted": 1,
        "quorumThreshold": 2,
        "quorumMet": False,
        "yes": 1,
        "no": 0,
        "abstain": 0,
        "block": 0,
        "outcome": None,
    }


async def test_people_without_a_seat_are_refused_and_nothing_changes(session, gql):
    committee = await create_committee(session, 2)
    proposal = await create_open_vote(session)
    member = await create_person(session)
    await affiliate(session, member, committee[0].organization)
    admin = await create_admin(session)
    await session.commit()
    before = await state(session, proposal.id)

    variables = {"input": {"proposalId": pid(proposal), "choice": "NO"}}
    refused = [await gql.data(CAST, variables, as_=person) for person in (member, admin)]
    anonymous = await gql(CAST, variables)

    for data in refused:
        assert data["castVote"] == {
            "vote": None,
            "proposal": None,
            "errors": [
                {
                    "field": None,
                    "code": "NOT_ELIGIBLE",
                    "message": (
                        "Only the holder or the alternate of a seat eligible on this proposal "
                        "may vote."
                    ),
                }
            ],
        }
    assert anonymous["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED"}
    assert await state(session, proposal.id) == before


async def test_a_vote_after_the_close_time_is_refused_and_the_proposal_closes(session, gql):
    # Given an open vote with one YES, whose close time has just passed unnoticed
    committee = await create_committee(session, 2)
    proposal = await create_open_vote(session)
    session.add(Vote(proposal_id=proposal.id, seat_id=committee[0].seat.id, choice=VoteChoice.YES))
    passed = datetime.now(UTC) - timedelta(seconds=1)
    await session.execute(
        update(Proposal).where(Proposal.id == proposal.id).values(voting_closes_at=passed)
    )
    await session.commit()

    # When the second seat votes
    variables = {"input": {"proposalId": pid(proposal), "choice": "NO"}}
    data = await gql.data(CAST, variables, as_=committee[1].holder)

    # Then the vote is refused, and the close the refusal caused is kept
    assert [e["code"] for e in data["castVote"]["errors"]] == ["VOTING_CLOSED"]
    status, closed_at, result, votes, _ = await state(session, proposal.id)
    assert status is ProposalStatus.ADOPTED
    assert closed_at is not None
    assert votes == [(committee[0].seat.id, VoteChoice.YES)]
    assert result == {
        "seats_eligible": 2,
        "seats_voted": 1,
        "yes": 1,
        "no": 0,
        "abstain": 0,
        "block": 0,
        "quorum_threshold": 1,
        "quorum_met": True,
        "outcome": "ADOPTED",
    }


async def test_reading_a_proposal_past_its_close_time_reads_it_closed_and_stores_nothing(
    session, gql
):
    await create_committee(session, 2)
    proposal = await create_open_vote(session, quorum=1)
    await session.execute(
        update(Proposal)
        .where(Proposal.id == proposal.id)
        .values(voting_closes_at=datetime.now(UTC) - timedelta(minutes=1))
    )
    await session.commit()

    before = await state(session, proposal.id)

    data = await gql.data(READ, {"id": pid(proposal)})

    assert data["node"]["status"] == "REJECTED"
    assert data["node"]["tally"]["final"] is True
    assert data["node"]["tally"]["quorumMet"] is False
    assert before[0] is ProposalStatus.VOTING
    assert await state(session, proposal.id) == before


async def test_an_admin_closes_voting_once_with_changed_votes_counted(session, gql):
    # Given 4 seats under MAJORITY, quorum 0.75 (3 seats): YES, NO then changed to YES, ABSTAIN
    committee = await create_committee(session, 4)
    admin = await create_admin(session)
    proposal = await create_open_vote(session, quorum=0.75, admin=admin)
    await session.commit()
    cast = {"input": {"proposalId": pid(proposal), "choice": "YES"}}
    await gql.data(CAST, cast, as_=committee[0].holder)
    no = {"input": {"proposalId": pid(proposal), "choice": "NO"}}
    await gql.data(CAST, no, as_=committee[1].holder)
    await gql.data(CAST, cast, as_=committee[1].alternate)
    abstain = {"input": {"proposalId": pid(proposal), "choice": "ABSTAIN"}}
    await gql.data(CAST, abstain, as_=committee[2].holder)

    # When the admin closes it, and closes it again
    closing = {"input": {"proposalId": pid(proposal)}}
    first = (await gql.data(CLOSE, closing, as_=admin))["closeVoting"]
    second = (await gql.data(CLOSE, closing, as_=admin))["closeVoting"]

    # Then 2 YES against 0 NO with 3 of 4 seats voting adopts it, and the second close is a no-op
    assert first["errors"] == [] and second["errors"] == []
    assert first["proposal"]["status"] == "ADOPTED"
    assert first["proposal"]["tally"] == {
        "final": True,
        "seatsEligible": 4,
        "seatsVoted": 3,
        "quorumThreshold": 3,
        "quorumMet": True,
        "yes": 2,
        "no": 0,
        "abstain": 1,
        "block": 0,
        "outcome": "ADOPTED",
    }
    assert second["proposal"] == first["proposal"]
    late = await gql.data(CAST, no, as_=committee[3].holder)
    assert [e["code"] for e in late["castVote"]["errors"]] == ["VOTING_CLOSED"]


async def test_closing_a_proposal_that_never_opened_is_a_payload_error(session, gql):
    admin = await create_admin(session)
    proposal = await create_proposal(session)
    await session.commit()

    data = await gql.data(CLOSE, {"input": {"proposalId": pid(proposal)}}, as_=admin)

    assert [e["code"] for e in data["closeVoting"]["errors"]] == ["VOTING_NOT_OPEN"]


async def test_live_counts_of_a_recorded_ballot_are_for_the_committee(session, gql):
    committee = await create_committee(session, 2)
    proposal = await create_open_vote(session)
    session.add(Vote(proposal_id=proposal.id, seat_id=committee[0].seat.id, choice=VoteChoice.NO))
    member = await create_person(session)
    await affiliate(session, member, await create_organization(session))
    await session.commit()

    insider = (await gql.data(READ, {"id": pid(proposal)}, as_=committee[1].holder))["node"]
    outsider = (await gql.data(READ, {"id": pid(proposal)}, as_=member))["node"]

    assert (insider["tally"]["no"], insider["tally"]["seatsVoted"]) == (1, 1)
    assert outsider["tally"]["seatsVoted"] == 1
    assert [outsider["tally"][c] for c in ("yes", "no", "abstain", "block")] == [None] * 4

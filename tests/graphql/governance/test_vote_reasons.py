"""A voter's short reason on a RECORDED ballot, shown with the votes; a SECRET ballot refuses
any reason (free text beside a secret vote could tell its choice) and stores nothing."""

from __future__ import annotations

from sqlalchemy import select

from hub.infrastructure.models import Vote
from hub.infrastructure.models.governance import Ballot
from hub.interfaces.graphql.node import to_global_id
from tests.governance.factories import create_committee, create_open_vote

CAST = """
mutation ($input: CastVoteInput!) { castVote(input: $input) {
  vote { choice reason } errors { field code }
} }
"""
VOTES = """
query ($id: ID!) { node(id: $id) { ... on Proposal { votes { choice reason castBy { name } } } } }
"""


async def stored_votes(session) -> list[tuple]:
    rows = (await session.execute(select(Vote.choice, Vote.reason, Vote.sealed_choice))).all()
    await session.commit()
    return [(choice, reason, sealed is not None) for choice, reason, sealed in rows]


async def cast(gql, person, proposal, choice: str, reason: str | None) -> dict:
    variables = {"input": {"proposalId": to_global_id("Proposal", proposal.id), "choice": choice}}
    if reason is not None:
        variables["input"]["reason"] = reason
    return (await gql.data(CAST, variables, as_=person))["castVote"]


async def test_a_recorded_vote_carries_its_reason_and_a_new_vote_replaces_it(session, gql):
    (seated,) = await create_committee(session, 1)
    proposal = await create_open_vote(session, ballot=Ballot.RECORDED)
    await session.commit()

    first = await cast(gql, seated.holder, proposal, "YES", "  It funds the organizers.  ")
    seen = await gql.data(VOTES, {"id": to_global_id("Proposal", proposal.id)}, as_=seated.holder)
    changed = await cast(gql, seated.alternate, proposal, "NO", None)

    assert first == {"vote": {"choice": "YES", "reason": "It funds the organizers."}, "errors": []}
    assert [(v["choice"], v["reason"]) for v in seen["node"]["votes"]] == [
        ("YES", "It funds the organizers.")
    ]
    assert changed == {"vote": {"choice": "NO", "reason": None}, "errors": []}
    assert await stored_votes(session) == [("NO", None, False)]


async def test_a_secret_ballot_refuses_a_reason_and_stores_nothing(session, gql):
    (seated,) = await create_committee(session, 1)
    proposal = await create_open_vote(session, ballot=Ballot.SECRET)
    await session.commit()

    refused = await cast(gql, seated.holder, proposal, "YES", "Because.")
    assert refused == {
        "vote": None,
        "errors": [{"field": "reason", "code": "REASON_ON_SECRET_BALLOT"}],
    }
    assert await stored_votes(session) == []
    accepted = await cast(gql, seated.holder, proposal, "YES", "  ")

    assert accepted == {"vote": {"choice": None, "reason": None}, "errors": []}
    assert await stored_votes(session) == [(None, None, True)]


async def test_a_reason_past_500_characters_is_refused(session, gql):
    (seated,) = await create_committee(session, 1)
    proposal = await create_open_vote(session, ballot=Ballot.RECORDED)
    await session.commit()

    refused = await cast(gql, seated.holder, proposal, "YES", "x" * 501)

    assert refused["errors"] == [{"field": "reason", "code": "TOO_LONG"}]
    assert await stored_votes(session) == []

"""A secret ballot stays secret: every read path, for every kind of viewer, during the vote
(and after it, for per-seat choices) shows which seats voted but never what any seat chose."""

from __future__ import annotations

import json
import re
from typing import Any

from hub.infrastructure.models.governance import Ballot, VotingRule
from hub.interfaces.graphql.node import to_global_id
from tests.factories import affiliate, create_admin, create_organization, create_person
from tests.governance.factories import create_committee, create_open_vote

CHOICE_WORD = re.compile(r"\b(YES|NO|ABSTAIN|BLOCK)\b")
SEAT = "id active organization { id name } holder { id name } alternate { id name }"
VOTE = f"id choice seat {{ {SEAT} }} castBy {{ id name }} proposal {{ id status }}"
EVENT = "id action detail createdAt seat { id } actor { id name } proposal { id }"
TALLY = "final seatsEligible seatsVoted quorumThreshold quorumMet yes no abstain block outcome"
PROPOSAL = f"""
  id title summary body status votingRule quorum ballot votingOpensAt votingClosesAt closedAt
  sponsors {{ id name }}
  tally {{ {TALLY} }}
  votes {{ {VOTE} }}
  viewerSeats {{ {SEAT} }}
  viewerVote {{ {VOTE} }}
  auditTrail {{ {EVENT} }}
"""
WALK = f"""
{{
  proposals {{ totalCount edges {{ node {{ {PROPOSAL} }} }} }}
  committee {{ {SEAT} }}
  governanceEvents {{ totalCount edges {{ node {{ {EVENT} }} }} }}
}}
"""
NODE_FIELDS = f"""
    id
    ... on Proposal {{ {PROPOSAL} }}
    ... on Vote {{ {VOTE} }}
    ... on CommitteeSeat {{ {SEAT} }}
    ... on GovernanceEvent {{ {EVENT} }}
"""
NODES_PER_REQUEST = 10  # under the hub's alias limit


def nodes_query(count: int) -> str:
    """node(id:) for `count` ids at once, as aliases n0, n1, ..."""
    arguments = ", ".join(f"$id{i}: ID!" for i in range(count))
    fields = "\n".join(f"n{i}: node(id: $id{i}) {{ ...everything }}" for i in range(count))
    return f"query ({arguments}) {{ {fields} }}\nfragment everything on Node {{ {NODE_FIELDS} }}"


CAST = """
mutation ($input: CastVoteInput!) {
  castVote(input: $input) { vote { id choice } proposal { tally { yes no abstain block } }
                            errors { code } }
}
"""
CLOSE = "mutation ($id: ID!) { closeVoting(input: {proposalId: $id}) { errors { code } } }"


def choices_in(found: Any) -> list[str]:
    """Every string anywhere in a response that names a vote choice."""
    text = json.dumps(found)
    return CHOICE_WORD.findall(text)


def ids_in(found: Any) -> set[str]:
    if isinstance(found, dict):
        own = {found["id"]} if isinstance(found.get("id"), str) else set()
        return own.union(*(ids_in(v) for v in found.values()))
    if isinstance(found, list):
        return set().union(*(ids_in(v) for v in found))
    return set()


async def walk(gql, person) -> list[Any]:
    """Every read a viewer can make: the lists, then node(id:) on every object they reached."""
    first = await gql.data(WALK, as_=person)
    reached = [first]
    ids = sorted(ids_in(first))
    for start in range(0, len(ids), NODES_PER_REQUEST):
        batch = ids[start : start + NODES_PER_REQUEST]
        variables = {f"id{i}": global_id for i, global_id in enumerate(batch)}
        reached.append(await gql.data(nodes_query(len(batch)), variables, as_=person))
    return reached


async def test_no_read_path_shows_a_seats_secret_choice(session, gql):
    # Given a SECRET consensus ballot on a three-seat committee
    committee = await create_committee(session, 3)
    admin = await create_admin(session)
    proposal = await create_open_vote(
        session, rule=VotingRule.CONSENSUS, ballot=Ballot.SECRET, admin=admin
    )
    member = await create_person(session)
    await affiliate(session, member, await create_organization(session))
    outsider = await create_person(session)
    await session.commit()
    proposal_id = to_global_id("Proposal", proposal.id)

    # When the seats vote (one changes its vote) and every viewer reads everything
    cast = []
    for person, choice in [
        (committee[0].holder, "BLOCK"),
        (committee[1].holder, "ABSTAIN"),
        (committee[1].alternate, "YES"),
    ]:
        variables = {"input": {"proposalId": proposal_id, "choice": choice}}
        cast.append(await gql.data(CAST, variables, as_=person))
    viewers = [
        committee[0].holder,
        committee[1].alternate,
        committee[2].holder,
        member,
        outsider,
        admin,
        None,
    ]
    reads = [await walk(gql, person) for person in viewers]

    # Then no response names a choice, and no count is shown before the close
    assert choices_in(cast) == []
    assert [choices_in(read) for read in reads] == [[]] * len(viewers)
    admin_view = reads[-2][0]["proposals"]["edges"][0]["node"]
    assert admin_view["tally"] == {
        "final": False,
        "seatsEligible": 3,
        "seatsVoted": 2,
        "quorumThreshold": 2,
        "quorumMet": True,
        "yes": None,
        "no": None,
        "abstain": None,
        "block": None,
        "outcome": None,
    }
    # which seats voted shows to the committee and admins, with no choice
    voted = {v["seat"]["id"] for v in admin_view["votes"]}
    assert voted == {to_global_id("CommitteeSeat", s.seat.id) for s in committee[:2]}
    assert {v["choice"] for v in admin_view["votes"]} == {None}
    assert [e["node"]["action"] for e in reads[-2][0]["governanceEvents"]["edges"]][-3:] == [
        "VOTE_CAST",
        "VOTE_CAST",
        "VOTE_CHANGED",
    ]
    # node(id:) reached the votes themselves, still without a choice
    admin_nodes = [node for read in reads[-2][1:] for node in read.values() if node]
    assert [n["choice"] for n in admin_nodes if "choice" in n and "castBy" in n] == [None, None]
    # the member and the public see the proposal but not its votes or audit trail
    member_view = reads[3][0]["proposals"]["edges"][0]["node"]
    assert (member_view["votes"], member_view["auditTrail"]) == ([], None)
    assert reads[4][0]["proposals"]["totalCount"] == 0

    # And after the close, the counts appear for all, while votes still carry no choice
    await gql.data(CLOSE, {"id": proposal_id}, as_=admin)
    after = await gql.data(WALK, as_=committee[2].holder)
    closed = after["proposals"]["edges"][0]["node"]
    assert {k: closed["tally"][k] for k in ("yes", "no", "abstain", "block", "outcome")} == {
        "yes": 1,
        "no": 0,
        "abstain": 0,
        "block": 1,
        "outcome": "REJECTED",
    }
    assert {v["choice"] for v in closed["votes"]} == {None}
    assert closed["viewerVote"] is None
    public = await gql.data("{ proposals { edges { node { status tally { block } } } } }")
    assert public["proposals"]["edges"] == [{"node": {"status": "REJECTED", "tally": {"block": 1}}}]

"""The committee's pages in one SQL statement on the compiled path, whatever their size, on
PostgreSQL and SQLite; and the votes' rules as that statement applies them: a RECORDED
ballot's choices, once it closed (or its window passed), to members; a SECRET ballot's, never."""

from __future__ import annotations

from datetime import timedelta

from hub.infrastructure.models import ProposalSponsor, Vote
from hub.infrastructure.models.base import utcnow
from hub.infrastructure.models.governance import (
    Ballot,
    ProposalStatus,
    VoteChoice,
    VoterRole,
    VotingRule,
)
from tests.convenings.factories import create_convening
from tests.factories import affiliate, create_admin, create_person
from tests.governance.factories import SeatedOrganization, create_proposal, create_seat
from tests.graphql.compiled.test_statements import kinds

COMMITTEE = """{ committee { id active organization { name } holder { name formerMember }
    alternate { name } } }"""
ROSTER = "{ committeeRoster { id active organization { name } holder { name email } } }"
PROPOSALS = """{ proposals(first: 50) { totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id title summary ballot quorum votingRule votingClosesAt
      sponsors { name } originConvening { title }
      votes { choice reason castAs seat { id active } castBy { name } } } } } }"""
ONE_STATEMENT = ["compiled query and charge"]


async def arrange(session, seats: int, proposals: int) -> list[SeatedOrganization]:
    """Seats (the last one vacated), and proposals closed on RECORDED and SECRET ballots in
    turn, every seat having voted, each sponsored by the first two seats' organizations."""
    seated = [await create_seat(session) for _ in range(seats)]
    seated[-1].seat.active = False
    convening = await create_convening(session)
    now = utcnow()
    for n in range(proposals):
        secret = n % 2 == 1
        proposal = await create_proposal(
            session,
            status=ProposalStatus.ADOPTED,
            ballot=Ballot.SECRET if secret else Ballot.RECORDED,
            voting_rule=VotingRule.MAJORITY,
            quorum=0.5,
            voting_opened_at=now - timedelta(days=3),
            voting_closes_at=now - timedelta(days=1),
            closed_at=now - timedelta(days=1),
            origin_convening_id=convening.id,
        )
        for sponsor in seated[:2]:
            session.add(
                ProposalSponsor(proposal_id=proposal.id, organization_id=sponsor.organization.id)
            )
        for place in seated:
            session.add(
                Vote(
                    proposal_id=proposal.id,
                    seat_id=place.seat.id,
                    cast_by_id=place.holder.id,
                    choice=None if secret else VoteChoice.YES,
                    reason=None if secret else "Yes «sí»",
                    cast_as=VoterRole.HOLDER,
                )
            )
    await session.commit()
    return seated


async def ask(gql, statements, query: str, as_=None) -> tuple[dict, list[str]]:
    statements.statements.clear()
    data = await gql.data(query, as_=as_)
    return data, [kind for kind in kinds(statements.statements) if kind != "viewer"]


async def test_the_committee_pages_are_one_statement_for_3_or_30_seats(session, gql, statements):
    admin = await create_admin(session)
    seated = await arrange(session, seats=3, proposals=2)
    member = await create_person(session)
    await affiliate(session, member, seated[0].organization)
    await session.commit()
    small = [
        (await ask(gql, statements, COMMITTEE))[1],
        (await ask(gql, statements, ROSTER, admin))[1],
        (await ask(gql, statements, PROPOSALS, admin))[1],
        (await ask(gql, statements, PROPOSALS, member))[1],
    ]

    await arrange(session, seats=27, proposals=20)
    committee, committee_kinds = await ask(gql, statements, COMMITTEE)
    roster, roster_kinds = await ask(gql, statements, ROSTER, admin)
    everything, admin_kinds = await ask(gql, statements, PROPOSALS, admin)
    seen, member_kinds = await ask(gql, statements, PROPOSALS, member)

    assert small == [ONE_STATEMENT] * 4
    assert [committee_kinds, roster_kinds, admin_kinds, member_kinds] == [ONE_STATEMENT] * 4
    assert len(committee["committee"]) == 28  # the held seats; the vacated two are not listed
    assert all(seat["holder"] is None for seat in committee["committee"])  # people: members'
    assert [seat["active"] for seat in roster["committeeRoster"]] == [True] * 28 + [False] * 2
    assert everything["proposals"]["totalCount"] == 22
    edges = everything["proposals"]["edges"]
    assert [len(e["node"]["votes"]) for e in edges] == [3, 3] + [27] * 20
    assert len(seen["proposals"]["edges"]) == 22


async def test_votes_show_as_their_ballot_and_the_viewer_allow(session, gql, statements):
    admin = await create_admin(session)
    seated = await arrange(session, seats=2, proposals=2)
    member = await create_person(session)
    await affiliate(session, member, seated[0].organization)
    # A RECORDED window past its close, its outcome not stored yet: it reads as closed.
    passed = await create_proposal(
        session,
        status=ProposalStatus.VOTING,
        ballot=Ballot.RECORDED,
        voting_opened_at=utcnow() - timedelta(days=2),
        voting_closes_at=utcnow() - timedelta(minutes=1),
    )
    session.add(
        Vote(
            proposal_id=passed.id,
            seat_id=seated[0].seat.id,
            cast_by_id=seated[0].alternate.id,
            choice=VoteChoice.NO,
            cast_as=VoterRole.ALTERNATE,
        )
    )
    await session.commit()

    as_admin, admin_kinds = await ask(gql, statements, PROPOSALS, admin)
    as_member, member_kinds = await ask(gql, statements, PROPOSALS, member)

    def votes(data: dict) -> list[list[tuple]]:
        return [
            [(v["choice"], v["reason"], v["castAs"], v["castBy"]) for v in e["node"]["votes"]]
            for e in data["proposals"]["edges"]
        ]

    holders = [place.holder.name for place in seated]
    recorded = [("YES", "Yes «sí»", "HOLDER", {"name": name}) for name in holders]
    secret = [(None, None, "HOLDER", {"name": name}) for name in holders]
    alternate = [("NO", None, "ALTERNATE", {"name": seated[0].alternate.name})]
    assert admin_kinds == member_kinds == ONE_STATEMENT
    assert votes(as_admin) == [recorded, secret, alternate]
    assert votes(as_member) == [recorded, [], alternate]

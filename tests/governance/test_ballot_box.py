"""A secret ballot stays secret from whoever copies the database: while it is open, nothing in
the copy links a seat to its choice; once it is closed, only the counts remain, so the copy and
a leaked HUB_SECRET_KEY together still reveal nothing. Played on SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import func, select

from hub.app import create_app
from hub.common.errors import InputError
from hub.domains.governance import ballot_box, voting
from hub.domains.governance.errors import GovernanceErrorCode as Code
from hub.infrastructure.config import Settings
from hub.infrastructure.models import EligibleSeat, GovernanceEvent, Proposal, Vote
from hub.infrastructure.models.governance import Ballot, ProposalStatus, VoteChoice, VotingRule
from hub.interfaces.graphql.node import to_global_id
from tests.conftest import TEST_SECRET
from tests.factories import create_admin
from tests.governance.database_thief import Thief, sqlite_pages, steal, truth
from tests.governance.factories import (
    TEST_BALLOT_KEY,
    admin_viewer,
    create_committee,
    create_open_vote,
    create_proposal,
)
from tests.graphql_client import GraphQLClient

CAST = """
mutation ($input: CastVoteInput!) { castVote(input: $input) { vote { id } errors { code } } }
"""
CLOSE = "mutation ($id: ID!) { closeVoting(input: {proposalId: $id}) { errors { code } } }"
OPEN = """
mutation ($input: OpenVotingInput!) {
  openVoting(input: $input) { proposal { status ballot } errors { field code message } }
}
"""
TALLY = """
query ($id: ID!) {
  node(id: $id) { ... on Proposal { status tally { yes no abstain block seatsVoted } } }
}
"""


async def a_secret_and_a_recorded_vote(session, gql):
    """Four seats vote on a SECRET consensus ballot (the last seat changes its vote) and two
    on a RECORDED one; returns both proposals and the choices as cast, in order."""
    committee = await create_committee(session, 4)
    admin = await create_admin(session)
    secret = await create_open_vote(
        session, rule=VotingRule.CONSENSUS, ballot=Ballot.SECRET, admin=admin
    )
    recorded = await create_open_vote(session, ballot=Ballot.RECORDED, admin=admin)
    await session.commit()
    votes = [
        (secret, committee[0].holder, committee[0], "YES"),
        (recorded, committee[0].holder, committee[0], "YES"),
        (secret, committee[1].holder, committee[1], "NO"),
        (secret, committee[2].holder, committee[2], "ABSTAIN"),
        (recorded, committee[1].holder, committee[1], "NO"),
        (secret, committee[3].holder, committee[3], "YES"),
        (secret, committee[3].alternate, committee[3], "BLOCK"),  # replaces the YES
    ]
    cast = []
    for proposal, person, seated, choice in votes:
        variables = {
            "input": {"proposalId": to_global_id("Proposal", proposal.id), "choice": choice}
        }
        answer = await gql.data(CAST, variables, as_=person)
        assert answer["castVote"]["errors"] == []
        cast.append((proposal.id, seated.seat.id, choice))
    return secret, recorded, admin, cast


async def test_a_copy_of_the_database_links_no_seat_to_its_choice_while_the_ballot_is_open(
    session, gql, database_url
):
    # Given a SECRET ballot open with four seats voted (one changed), beside a RECORDED one
    secret, recorded, _, cast = await a_secret_and_a_recorded_vote(session, gql)

    # When a thief copies the database and tries every approach it knows
    thief = Thief(await steal(database_url))

    # Then it reads the RECORDED ballot at once, and not one choice of the SECRET one
    assert thief.claims(recorded.id) == truth(c for c in cast if c[0] == recorded.id)
    assert thief.claims(secret.id) == set()
    # (each approach found nothing to work with: no choice of it is kept in plain text)
    assert thief.unlinked_choices(secret.id) == []
    assert len(thief.votes(secret.id)) == 4


async def test_once_closed_a_copy_and_the_leaked_key_together_reveal_no_choice(
    session, gql, database_url
):
    # Given the same votes, then both ballots closed by an admin
    secret, recorded, admin, cast = await a_secret_and_a_recorded_vote(session, gql)
    for proposal in (secret, recorded):
        answer = await gql.data(CLOSE, {"id": to_global_id("Proposal", proposal.id)}, as_=admin)
        assert answer["closeVoting"]["errors"] == []

    # When a thief copies the database and HUB_SECRET_KEY leaks too
    thief = Thief(await steal(database_url), leaked_secrets=(TEST_SECRET,))

    # Then the SECRET ballot's links are gone: only its counts remain, reproducible
    assert thief.claims(secret.id) == set()
    assert thief.claims(recorded.id) == truth(c for c in cast if c[0] == recorded.id)
    sealed = [
        value
        for vote in thief.votes(secret.id)
        for value in vote.values.values()
        if isinstance(value, bytes | memoryview)
    ]
    assert sealed == []
    tally = await gql.data(TALLY, {"id": to_global_id("Proposal", secret.id)}, as_=admin)
    assert tally["node"] == {
        "status": "REJECTED",
        "tally": {"yes": 1, "no": 1, "abstain": 1, "block": 1, "seatsVoted": 4},
    }


async def test_a_changed_vote_replaces_the_first_and_counts_once(session, gql):
    # Given a SECRET majority ballot on two seats
    committee = await create_committee(session, 2)
    admin = await create_admin(session)
    proposal = await create_open_vote(session, ballot=Ballot.SECRET, admin=admin)
    await session.commit()
    proposal_id = to_global_id("Proposal", proposal.id)

    # When the holder votes NO, the alternate changes it to YES, then the holder to YES again
    for person, choice in [
        (committee[0].holder, "NO"),
        (committee[0].alternate, "YES"),
        (committee[0].holder, "YES"),
        (committee[1].holder, "NO"),
    ]:
        variables = {"input": {"proposalId": proposal_id, "choice": choice}}
        assert (await gql.data(CAST, variables, as_=person))["castVote"]["errors"] == []
    await gql.data(CLOSE, {"id": proposal_id}, as_=admin)

    # Then each seat counts once, with its last choice
    tally = await gql.data(TALLY, {"id": proposal_id}, as_=admin)
    assert tally["node"] == {
        "status": "REJECTED",
        "tally": {"yes": 1, "no": 1, "abstain": 0, "block": 0, "seatsVoted": 2},
    }


@pytest.fixture
async def keyless_gql(settings: Settings, runtime) -> AsyncIterator[GraphQLClient]:
    """The hub run without HUB_SECRET_KEY: it signs with a key it keeps in the database."""
    app = create_app(replace(settings, secret_key=None))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as client:
            yield GraphQLClient(client, app.state.runtime)


async def test_a_secret_ballot_is_refused_while_the_key_lives_in_the_database(session, keyless_gql):
    # Given a hub whose only key is kept in its database, a committee and two proposals
    await create_committee(session, 2)
    admin = await create_admin(session)
    secret = await create_proposal(session)
    recorded = await create_proposal(session)
    await session.commit()

    def terms(proposal, ballot):
        return {
            "input": {
                "proposalId": to_global_id("Proposal", proposal.id),
                "rule": "MAJORITY",
                "quorum": 0.5,
                "ballot": ballot,
                "closesAt": "2099-01-01T12:00:00+00:00",
            }
        }

    # When an admin opens a SECRET ballot, and a RECORDED one
    refused = await keyless_gql.data(OPEN, terms(secret, "SECRET"), as_=admin)
    opened = await keyless_gql.data(OPEN, terms(recorded, "RECORDED"), as_=admin)

    # Then the SECRET one is refused with a clear code, and nothing of it changed
    assert refused["openVoting"]["proposal"] is None
    assert [(e["field"], e["code"]) for e in refused["openVoting"]["errors"]] == [
        ("ballot", "SECRET_BALLOT_KEY_MISSING")
    ]
    assert "HUB_SECRET_KEY" in refused["openVoting"]["errors"][0]["message"]
    reread = await session.scalar(
        select(Proposal).where(Proposal.id == secret.id).execution_options(populate_existing=True)
    )
    assert (reread.status, reread.ballot, reread.voting_opened_at) == (
        ProposalStatus.DISCUSSION,
        None,
        None,
    )
    eligible = await session.scalar(
        select(func.count()).where(EligibleSeat.proposal_id == secret.id)
    )
    events = await session.scalar(
        select(func.count()).where(GovernanceEvent.proposal_id == secret.id)
    )
    assert (eligible, events) == (0, 0)
    # while a RECORDED ballot, which keeps no secret, opens as before
    assert opened["openVoting"] == {
        "proposal": {"status": "VOTING", "ballot": "RECORDED"},
        "errors": [],
    }


OTHER_KEY = ballot_box.ballot_key("another-secret-" + "k" * 40)


async def seals_of(session, proposal) -> list[bytes | None]:
    rows = await session.scalars(
        select(Vote.sealed_choice)
        .where(Vote.proposal_id == proposal.id)
        .order_by(Vote.seat_id)
        .execution_options(populate_existing=True)
    )
    return list(rows)


async def test_under_another_key_a_secret_ballot_takes_no_vote_and_is_not_counted(session, caplog):
    # Given a SECRET ballot with one vote sealed under the hub's key
    committee = await create_committee(session, 2)
    admin = await create_admin(session)
    opened = datetime.now(UTC)
    proposal = await create_open_vote(session, ballot=Ballot.SECRET, admin=admin, opened_at=opened)

    async def vote(seated, choice, key):
        return await voting.cast_vote(
            session,
            seated.holder_viewer,
            proposal.id,
            choice,
            seat_id=None,
            ballot_key=key,
            now=opened,
        )

    await vote(committee[0], VoteChoice.YES, TEST_BALLOT_KEY)
    before = await seals_of(session, proposal)

    # When the hub runs with another HUB_SECRET_KEY: a vote, a close, the due closes
    with pytest.raises(InputError) as refused_vote:
        await vote(committee[1], VoteChoice.NO, OTHER_KEY)
    with pytest.raises(InputError) as close:
        await voting.close_voting(
            session, admin_viewer(admin), proposal.id, ballot_key=OTHER_KEY, now=opened
        )
    due = await voting.close_due_proposals(
        session, ballot_key=OTHER_KEY, now=opened + timedelta(days=4)
    )

    # Then each is refused with the same code, and the ballot is as it was, still open
    assert (refused_vote.value.code, close.value.code) == (
        Code.SECRET_BALLOT_KEY_CHANGED,
        Code.SECRET_BALLOT_KEY_CHANGED,
    )
    assert due == []
    assert "stays open past its close" in caplog.text
    assert await seals_of(session, proposal) == before
    assert (proposal.status, proposal.closed_at) == (ProposalStatus.VOTING, None)
    # and with its own key back, it counts
    await voting.close_voting(
        session, admin_viewer(admin), proposal.id, ballot_key=TEST_BALLOT_KEY, now=opened
    )
    assert (proposal.result or {})["yes"] == 1
    assert await seals_of(session, proposal) == [None]


async def test_without_a_key_an_open_secret_ballot_takes_no_vote(session):
    # Given an open SECRET ballot, and a hub process started without HUB_SECRET_KEY
    (seated,) = await create_committee(session, 1)
    proposal = await create_open_vote(session, ballot=Ballot.SECRET)

    # When a seat votes, then it is refused and no vote is stored
    with pytest.raises(InputError) as refused:
        await voting.cast_vote(
            session,
            seated.holder_viewer,
            proposal.id,
            VoteChoice.YES,
            seat_id=None,
            ballot_key=None,
            now=datetime.now(UTC),
        )
    assert refused.value.code is Code.SECRET_BALLOT_KEY_MISSING
    assert await seals_of(session, proposal) == []


def test_the_key_comes_from_the_environment_only():
    # HUB_SECRET_KEY, else the demo's process-held key, else none at all
    assert ballot_box.key_for(Settings(secret_key=TEST_SECRET)) == TEST_BALLOT_KEY
    demo = Settings(demo_ballot_key="d" * 64)
    assert ballot_box.key_for(demo) == ballot_box.ballot_key("d" * 64)
    assert ballot_box.key_for(Settings()) is None
    # and it is not the signing secret itself
    assert TEST_SECRET.encode()[:32] != TEST_BALLOT_KEY


async def test_on_sqlite_erased_seals_leave_no_bytes_in_the_database_file(
    session, gql, database_url, dialect
):
    if dialect != "sqlite":
        pytest.skip("PostgreSQL keeps dead row versions until VACUUM: see the README")
    # Given a secret ballot's seals, read while it is open, then the ballot closed
    secret, _, admin, _ = await a_secret_and_a_recorded_vote(session, gql)
    seals = [bytes(s) for s in await seals_of(session, secret) if s is not None]
    await session.commit()
    while_open = sqlite_pages(database_url)
    await gql.data(CLOSE, {"id": to_global_id("Proposal", secret.id)}, as_=admin)

    # When a thief copies the file, writes its WAL back into it and reads it byte by byte
    stored = sqlite_pages(database_url)

    # Then the seals it held while open are gone from it, not one byte string left
    assert [seal in while_open for seal in seals] == [True] * 4
    assert [seal for seal in seals if seal in stored] == []

"""Reads never write: a voting window past its close *reads* as closed, its outcome computed
in the read from the stored votes (a secret ballot's seals opened to count, no choice shown),
while nothing is stored; the worker's pass stores it once and mails the result once, and the
answers are the same before and after it."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, func, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool

from hub.domains.governance import voting
from hub.infrastructure.db import SerialSession
from hub.infrastructure.models import BallotReceipt, GovernanceEvent, OutboxMessage, Proposal, Vote
from hub.infrastructure.models.governance import Ballot
from hub.interfaces.graphql.context import Context
from hub.interfaces.graphql.node import to_global_id
from hub.interfaces.graphql.schema import schema
from hub.worker import one_pass
from tests.convenings.factories import create_member
from tests.factories import create_admin, create_organization
from tests.governance.factories import (
    TEST_BALLOT_KEY,
    admin_viewer,
    create_committee,
    create_open_vote,
)
from tests.infrastructure.outbox import clock, worker
from tests.infrastructure.sendgrid_standin import sendgrid_standin

__all__ = ["clock", "sendgrid_standin", "worker"]  # the worker's fixtures, used below

TALLY = (
    "tally { final seatsEligible seatsVoted quorumThreshold quorumMet "
    "yes no abstain block outcome }"
)
PROPOSAL = f"id status closedAt viewerMayCloseVoting viewerMayOpenVoting {TALLY}"
READ = f"""
query ($id: ID!, $code: String!) {{
  everything: proposals {{ totalCount edges {{ node {{ {PROPOSAL} }} }} }}
  adopted: proposals(status: ADOPTED) {{ totalCount edges {{ node {{ id }} }} }}
  voting: proposals(status: VOTING) {{ totalCount }}
  node(id: $id) {{ ... on Proposal {{ {PROPOSAL} }} }}
  decisionRegister {{ totalCount edges {{ node {{ {PROPOSAL} }} }} }}
  ballotReceipt(proposalId: $id, code: $code) {{ ballotClosed counted choice }}
}}
"""
PUBLIC_READ = f"""
query ($id: ID!) {{
  proposals(status: ADOPTED) {{ totalCount edges {{ node {{ id status closedAt {TALLY} }} }} }}
  node(id: $id) {{ ... on Proposal {{ id status }} }}
  decisionRegister {{ totalCount edges {{ node {{ id status closedAt }} }} }}
}}
"""
CAST = """
mutation ($input: CastVoteInput!) {
  castVote(input: $input) { receiptCode errors { code } }
}
"""
WRITES = ("INSERT", "UPDATE", "DELETE")


async def stored(session, proposal_id: int) -> tuple:
    """Everything a close writes: the proposal's state, its votes' seals, receipts, the audit
    trail and the outbox."""
    proposal = await session.scalar(
        select(Proposal).where(Proposal.id == proposal_id).execution_options(populate_existing=True)
    )
    sealed = await session.scalar(
        select(func.count()).where(Vote.proposal_id == proposal_id, Vote.sealed_choice.is_not(None))
    )
    counts = [
        await session.scalar(select(func.count()).select_from(model))
        for model in (GovernanceEvent, OutboxMessage, BallotReceipt)
    ]
    found = (
        proposal.status,
        proposal.closed_at,
        proposal.result,
        proposal.updated_at,
        sealed,
        *counts,
    )
    await session.commit()
    return found


@contextlib.contextmanager
def statements_on(engine: AsyncEngine) -> Iterator[list[str]]:
    """Every SQL statement the engine runs inside the block."""
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


@contextlib.asynccontextmanager
async def read_only_sessions(url: str) -> AsyncIterator[async_sessionmaker[SerialSession]]:
    """Sessions on connections that refuse every write, like a replica's."""
    if url.startswith("postgresql"):
        arguments = {"server_settings": {"default_transaction_read_only": "on"}}
        engine = create_async_engine(url, connect_args=arguments, poolclass=NullPool)
    else:
        engine = create_async_engine(url, poolclass=NullPool)

        @event.listens_for(engine.sync_engine, "connect")
        def refuse_writes(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA query_only = ON")
            cursor.close()

    try:
        yield async_sessionmaker(engine, class_=SerialSession, expire_on_commit=False)
    finally:
        await engine.dispose()


def writes_among(statements: list[str]) -> list[str]:
    """The statements that write or lock a governance row (the budget's own short transaction
    charging the caller is not the read's and is left out)."""
    return [
        s
        for s in statements
        if (s.lstrip().upper().startswith(WRITES) or "FOR UPDATE" in s.upper())
        and "rate_limit_buckets" not in s
    ]


async def passed_vote(session, gql, ballot: Ballot) -> tuple[Proposal, Any, str]:
    """Three seats, quorum 0.5: two YES and one NO cast through the API, then the window
    passes unnoticed (no worker ran). Returns the proposal, the admin, and the NO's code."""
    committee = await create_committee(session, 3)
    admin = await create_admin(session)
    proposal = await create_open_vote(session, ballot=ballot, admin=admin)
    await session.commit()
    codes = []
    for seated, choice in zip(committee, ("YES", "YES", "NO"), strict=True):
        variables = {"input": {"proposalId": pid(proposal), "choice": choice}}
        cast = (await gql.data(CAST, variables, as_=seated.holder))["castVote"]
        assert cast["errors"] == []
        codes.append(cast["receiptCode"])
    passed = datetime.now(UTC) - timedelta(minutes=1)
    await session.execute(
        update(Proposal).where(Proposal.id == proposal.id).values(voting_closes_at=passed)
    )
    await session.commit()
    return proposal, admin, codes[2] or "NO-CODE-ON-A-RECORDED-BALLOT"


def pid(proposal: Proposal) -> str:
    return to_global_id("Proposal", proposal.id)


def expected_tally() -> dict[str, Any]:
    return {
        "final": True,
        "seatsEligible": 3,
        "seatsVoted": 3,
        "quorumThreshold": 2,
        "quorumMet": True,
        "yes": 2,
        "no": 1,
        "abstain": 0,
        "block": 0,
        "outcome": "ADOPTED",
    }


@pytest.mark.parametrize("ballot", [Ballot.RECORDED, Ballot.SECRET])
async def test_a_passed_window_reads_closed_writes_nothing_and_the_worker_stores_it_once(
    session, gql, runtime, worker, sendgrid_standin, ballot
):
    # Given an open vote whose window passed a minute ago, with no worker pass since
    proposal, admin, code = await passed_vote(session, gql, ballot)
    before = await stored(session, proposal.id)
    variables = {"id": pid(proposal), "code": code}

    # When an admin and an anonymous caller read it every way the API offers
    with statements_on(runtime.engine) as statements:
        read = await gql.data(READ, variables, as_=admin)
        public = await gql.data(PUBLIC_READ, {"id": pid(proposal)})

    # Then it reads as closed with its outcome and counts, everywhere
    closes_at = proposal.voting_closes_at
    node = read["node"]
    assert node["status"] == "ADOPTED"
    assert node["tally"] == expected_tally()
    assert node["viewerMayCloseVoting"] is False
    assert datetime.fromisoformat(node["closedAt"]) < datetime.now(UTC)
    assert read["everything"]["edges"] == [{"node": node}]
    assert read["adopted"]["edges"] == [{"node": {"id": pid(proposal)}}]
    assert read["voting"]["totalCount"] == 0
    assert read["decisionRegister"]["edges"] == [{"node": node}]
    if ballot is Ballot.SECRET:
        assert read["ballotReceipt"] == {"ballotClosed": True, "counted": True, "choice": "NO"}
    else:
        assert read["ballotReceipt"] == {"ballotClosed": True, "counted": False, "choice": None}
    # the public, who never see an open vote, see the decision as soon as it reads decided
    assert public["proposals"]["totalCount"] == 1
    assert public["proposals"]["edges"][0]["node"]["status"] == "ADOPTED"
    assert public["node"] == {"id": pid(proposal), "status": "ADOPTED"}
    assert public["decisionRegister"]["totalCount"] == 1
    # ... and the reads wrote nothing, locked nothing: the window still waits for its close
    assert writes_among(statements) == []
    assert await stored(session, proposal.id) == before
    assert closes_at is not None and before[1] is None
    assert sendgrid_standin.requests == []

    # When the worker makes its pass, twice
    first = await one_pass(worker)
    second = await one_pass(worker)

    # Then it was stored once, its result mailed once, and a read answers exactly as before
    assert (first.closed_proposals, second.closed_proposals) == (1, 0)
    after = await stored(session, proposal.id)
    assert after[0] == before[0].__class__("ADOPTED")
    assert after[2]["outcome"] == "ADOPTED"
    assert after[4] == 0  # the seals are erased by the close
    results = [r for r in sendgrid_standin.requests if r.subject.startswith("Result")]
    assert len(results) == 6  # one to each seat's holder and alternate, once
    assert len({r.to for r in results}) == 6
    assert await gql.data(READ, variables, as_=admin) == read
    assert await gql.data(PUBLIC_READ, {"id": pid(proposal)}) == public


@pytest.mark.parametrize("ballot", [Ballot.RECORDED, Ballot.SECRET])
async def test_the_read_runs_on_a_read_only_connection(session, gql, runtime, ballot):
    # Given a passed window not yet stored
    proposal, admin, code = await passed_vote(session, gql, ballot)
    before = await stored(session, proposal.id)

    # When the query runs on a connection the database makes read-only, as a replica's is:
    # PostgreSQL's default_transaction_read_only, SQLite's query_only; any write would fail
    async with read_only_sessions(runtime.settings.database_url) as sessions:
        async with sessions() as reader:
            context = Context(session=reader, viewer=admin_viewer(admin), settings=runtime.settings)
            result = await schema.execute(
                READ, variable_values={"id": pid(proposal), "code": code}, context_value=context
            )
        # (the connection does refuse writes: closing as the reads once did fails on it)
        async with sessions() as writer:
            with pytest.raises(DBAPIError):
                await voting.close_due_proposals(
                    writer, ballot_key=TEST_BALLOT_KEY, now=datetime.now(UTC)
                )

    # Then it answers closed, with its outcome, and nothing was written
    assert result.errors is None, result.errors
    assert result.data is not None
    assert result.data["node"]["status"] == "ADOPTED"
    assert result.data["node"]["tally"] == expected_tally()
    assert result.data["voting"]["totalCount"] == 0
    assert await stored(session, proposal.id) == before


async def test_a_member_sees_the_roll_call_of_a_recorded_ballot_read_as_closed(
    session, gql, worker, sendgrid_standin
):
    # Given a RECORDED vote whose window passed, and a member of an organization (no seat)
    proposal, _, _ = await passed_vote(session, gql, Ballot.RECORDED)
    member = await create_member(session)
    await session.commit()
    before = await stored(session, proposal.id)
    query = "query ($id: ID!) { node(id: $id) { ... on Proposal { status votes { choice } } } }"

    # When they read it before the worker's pass, and after it
    read = await gql.data(query, {"id": pid(proposal)}, as_=member)
    unchanged = await stored(session, proposal.id)
    await one_pass(worker)
    after = await gql.data(query, {"id": pid(proposal)}, as_=member)

    # Then the roll call shows as it does once stored (a closed RECORDED ballot's), both times
    assert unchanged == before
    assert read == after
    assert read["node"]["status"] == "ADOPTED"
    assert sorted(v["choice"] for v in read["node"]["votes"]) == ["NO", "YES", "YES"]


async def test_a_follow_up_action_on_a_decision_read_as_decided_stores_its_close_first(
    session, gql
):
    # Given a vote whose window passed, read as ADOPTED but not stored
    proposal, admin, _ = await passed_vote(session, gql, Ballot.RECORDED)
    organization = await create_organization(session)
    await session.commit()
    mutation = """
    mutation ($input: AddFollowUpActionInput!) {
      addFollowUpAction(input: $input) { action { what proposal { status } } errors { code } }
    }
    """
    variables = {
        "input": {
            "proposalId": pid(proposal),
            "what": "Write to the council",
            "organizationId": to_global_id("Organization", organization.id),
        }
    }

    # When an admin adds a follow-up action to it (the next write)
    added = (await gql.data(mutation, variables, as_=admin))["addFollowUpAction"]

    # Then the close is stored with the action, at the window's end
    assert added == {
        "action": {"what": "Write to the council", "proposal": {"status": "ADOPTED"}},
        "errors": [],
    }
    status, closed_at, *_ = await stored(session, proposal.id)
    assert status.value == "ADOPTED"
    assert closed_at == proposal.voting_closes_at

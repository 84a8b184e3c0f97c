"""Proxies at the same instant, over real HTTP to the served hub: holder and alternate giving
the seat's proxy at once leave one; holder, alternate and proxy voting at once leave one vote,
and it is never the proxy's."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy import select
from starlette.applications import Starlette

from hub.domains.governance import meetings
from hub.infrastructure.models import Proxy, Vote
from hub.infrastructure.models.governance import Ballot, VoterRole
from tests.factories import create_admin
from tests.frontend.server import HubServer
from tests.governance.factories import admin_viewer, create_committee, create_proposal
from tests.governance.meeting_factories import check_in_at, create_meeting, give_proxy
from tests.governance.test_proxies import CAST, GRANT, gid, grant_input, open_in_meeting

ROUNDS = 3


@pytest.fixture(scope="module")
async def served(app: Starlette) -> AsyncIterator[HubServer]:
    server = await HubServer(app).start()
    yield server
    await server.stop()


@pytest.fixture
async def over_http(served: HubServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=served.url, timeout=30) as client:
        yield client


async def post(client: httpx.AsyncClient, gql, query: str, variables: dict, person) -> dict:
    headers = {"Authorization": f"Bearer {gql.token_for(person)}"}
    answer = await client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["data"]


async def test_holder_and_alternate_giving_the_proxy_at_once_leave_one(session, gql, over_http):
    giving, first, second = await create_committee(session, 3)
    rounds = [await create_meeting(session) for _ in range(ROUNDS)]
    await session.commit()
    for meeting in rounds:
        answers = await asyncio.gather(
            post(over_http, gql, GRANT, grant_input(giving, first, meeting), giving.holder),
            post(over_http, gql, GRANT, grant_input(giving, second, meeting), giving.alternate),
        )
        codes = sorted(e["code"] for a in answers for e in a["grantProxy"]["errors"])
        assert codes == ["PROXY_ALREADY_GIVEN"]
        kept = list(await session.scalars(select(Proxy).where(Proxy.convening_id == meeting.id)))
        await session.commit()
        assert len(kept) == 1


@pytest.mark.parametrize("ballot", [Ballot.RECORDED, Ballot.SECRET])
async def test_holder_alternate_and_proxy_voting_at_once_leave_one_vote(
    session, gql, over_http, ballot
):
    admin = await create_admin(session)
    giving, carrier = await create_committee(session, 2)
    meeting = await create_meeting(session)
    proposal = await create_proposal(session)
    await check_in_at(session, meeting, carrier.holder, admin)
    await check_in_at(session, meeting, giving.holder, admin)
    await give_proxy(session, giving, carrier, meeting=meeting)
    await meetings.set_agenda(
        session, admin_viewer(admin), meeting.id, [proposal.id], now=datetime.now(UTC)
    )
    await session.commit()
    assert (await open_in_meeting(gql, admin, proposal, meeting, ballot.value))["errors"] == []

    def vote(choice: str) -> dict:
        return {
            "input": {"proposalId": gid(proposal), "choice": choice, "seatId": gid(giving.seat)}
        }

    for _ in range(ROUNDS):
        answers = await asyncio.gather(
            post(over_http, gql, CAST, vote("YES"), giving.holder),
            post(over_http, gql, CAST, vote("NO"), giving.alternate),
            post(over_http, gql, CAST, vote("ABSTAIN"), carrier.holder),
        )
        own, proxied = [a["castVote"]["errors"] for a in answers[:2]], answers[2]["castVote"]
        assert own == [[], []]
        assert proxied["errors"] in ([], [{"field": "seatId", "code": "SEAT_VOTED_ITSELF"}])

    votes = list(await session.scalars(select(Vote).where(Vote.seat_id == giving.seat.id)))
    await session.commit()
    assert len(votes) == 1
    assert votes[0].cast_as in (VoterRole.HOLDER, VoterRole.ALTERNATE)
    assert votes[0].proxy_id is None

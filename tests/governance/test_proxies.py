"""Proxies through the API: given and revoked in writing, refused with a code when wrong, used
only for a seat whose holder and alternate did not vote, and in the audit trail."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from hub.infrastructure.models import AuditEvent, Proxy, Vote
from hub.infrastructure.models.governance import Ballot, VoterRole
from hub.interfaces.graphql.node import to_global_id
from tests.factories import create_admin
from tests.governance.factories import (
    admin_viewer,
    create_committee,
    create_proposal,
    create_seat,
)
from tests.governance.meeting_factories import check_in_at, create_meeting, give_proxy

GRANT = """
mutation ($input: GrantProxyInput!) {
  grantProxy(input: $input) {
    proxy { id revokedAt seat { id } toSeat { id } holder { id } meeting { id } }
    errors { field code }
  }
}
"""
REVOKE = """
mutation ($id: ID!) {
  revokeProxy(input: {proxyId: $id}) { proxy { id revokedAt } errors { field code } }
}
"""
OPEN = """
mutation ($input: OpenVotingInput!) {
  openVoting(input: $input) {
    proposal { id meeting { id } tally { seatsEligible } }
    errors { code }
  }
}
"""
CAST = """
mutation ($input: CastVoteInput!) {
  castVote(input: $input) { vote { castAs choice } errors { field code } }
}
"""


def gid(model) -> str:
    return str(to_global_id(type(model).__name__, model.id))


async def counted(session, model, *where) -> int:
    found = await session.scalar(select(func.count()).select_from(model).where(*where))
    await session.commit()
    return int(found or 0)


async def audit_actions(session) -> list[str]:
    rows = list(await session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    await session.commit()
    return rows


def grant_input(giving, carrier, meeting=None, proposal=None) -> dict:
    given = {"seatId": gid(giving.seat), "toSeatId": gid(carrier.seat)}
    if meeting is not None:
        given["meetingId"] = gid(meeting)
    if proposal is not None:
        given["proposalId"] = gid(proposal)
    return {"input": given}


async def open_in_meeting(gql, admin, proposal, meeting, ballot="RECORDED"):
    closes = (datetime.now(UTC) + timedelta(hours=2)).isoformat()
    variables = {
        "input": {
            "proposalId": gid(proposal),
            "rule": "MAJORITY",
            "quorum": 0.5,
            "ballot": ballot,
            "closesAt": closes,
            "meetingId": gid(meeting),
        }
    }
    return (await gql.data(OPEN, variables, as_=admin))["openVoting"]


async def test_a_seat_gives_and_revokes_its_proxy_in_writing_and_the_trail_keeps_both(session, gql):
    giving, carrier = await create_committee(session, 2)
    meeting = await create_meeting(session)
    await session.commit()

    granted = await gql.data(GRANT, grant_input(giving, carrier, meeting), as_=giving.alternate)
    proxy = granted["grantProxy"]["proxy"]
    assert granted["grantProxy"]["errors"] == []
    assert proxy["holder"]["id"] == gid(carrier.holder)
    assert (proxy["seat"]["id"], proxy["meeting"]["id"]) == (gid(giving.seat), gid(meeting))

    revoked = await gql.data(REVOKE, {"id": proxy["id"]}, as_=giving.holder)
    assert revoked["revokeProxy"]["errors"] == []
    assert revoked["revokeProxy"]["proxy"]["revokedAt"] is not None
    again = await gql.data(REVOKE, {"id": proxy["id"]}, as_=giving.holder)
    assert again["revokeProxy"]["errors"] == [{"field": "proxyId", "code": "PROXY_ALREADY_REVOKED"}]
    assert await audit_actions(session) == ["PROXY_GRANTED", "PROXY_REVOKED"]


async def test_wrong_proxies_are_refused_with_a_code_and_change_nothing(session, gql):
    # Given a meeting with an open vote, two seats present, and one proxy already carried
    admin = await create_admin(session)
    giving, carrier, other, already = await create_committee(session, 4)
    vacant = await create_seat(session, holder_id=None, alternate_id=None)
    meeting = await create_meeting(session)
    voting_now = await create_proposal(session)
    await give_proxy(session, already, carrier, meeting=meeting)
    await check_in_at(session, meeting, carrier.holder, admin)
    await check_in_at(session, meeting, other.holder, admin)
    from hub.domains.governance import meetings

    await meetings.set_agenda(
        session, admin_viewer(admin), meeting.id, [voting_now.id], now=datetime.now(UTC)
    )
    await session.commit()
    opened = await open_in_meeting(gql, admin, voting_now, meeting)
    assert opened["errors"] == []
    later = await create_meeting(session)
    await session.commit()
    before = (await counted(session, Proxy), await audit_actions(session))

    refusals = [
        (grant_input(giving, giving, later), "toSeatId", "PROXY_TO_OWN_SEAT"),
        (grant_input(giving, vacant, later), "toSeatId", "PROXY_TO_VACANT_SEAT"),
        (grant_input(giving, carrier, meeting), None, "PROXY_AFTER_VOTING_OPENED"),
        (grant_input(giving, other, proposal=voting_now), None, "PROXY_AFTER_VOTING_OPENED"),
        (grant_input(giving, other), "meetingId", "PROXY_TARGET_REQUIRED"),
    ]
    for variables, field, code in refusals:
        answer = await gql.data(GRANT, variables, as_=giving.holder)
        assert answer["grantProxy"] == {"proxy": None, "errors": [{"field": field, "code": code}]}

    # Beyond the limit (1 by default) for one meeting, and a second proxy of one seat
    first = await gql.data(GRANT, grant_input(already, carrier, later), as_=already.holder)
    assert first["grantProxy"]["errors"] == []
    beyond = await gql.data(GRANT, grant_input(giving, carrier, later), as_=giving.holder)
    twice = await gql.data(GRANT, grant_input(already, other, later), as_=already.alternate)
    assert beyond["grantProxy"]["errors"] == [{"field": "toSeatId", "code": "PROXY_LIMIT_REACHED"}]
    assert twice["grantProxy"]["errors"] == [{"field": "seatId", "code": "PROXY_ALREADY_GIVEN"}]
    # Revoking the meeting's proxy while its vote is open
    carried = await session.scalar(select(Proxy).where(Proxy.convening_id == meeting.id))
    await session.commit()
    late = await gql.data(REVOKE, {"id": gid(carried)}, as_=already.holder)
    assert late["revokeProxy"]["errors"] == [{"field": None, "code": "PROXY_AFTER_VOTING_OPENED"}]

    count, trail = before
    assert await counted(session, Proxy) == count + 1
    assert await audit_actions(session) == [*trail, "PROXY_GRANTED"]

    # And someone who neither holds nor alternates the seat is refused outright
    stranger = await gql(GRANT, grant_input(giving, other, later), as_=carrier.holder)
    assert stranger["errors"][0]["extensions"]["code"] == "FORBIDDEN"


@pytest.mark.parametrize("ballot", [Ballot.RECORDED, Ballot.SECRET])
async def test_a_proxy_votes_only_for_a_seat_whose_own_people_did_not(session, gql, ballot):
    # Given a meeting: the carrier present, the giving seat represented by its proxy
    admin = await create_admin(session)
    giving, carrier = await create_committee(session, 2)
    meeting = await create_meeting(session)
    proposal = await create_proposal(session)
    await check_in_at(session, meeting, carrier.holder, admin)
    await give_proxy(session, giving, carrier, meeting=meeting)
    from hub.domains.governance import meetings

    await meetings.set_agenda(
        session, admin_viewer(admin), meeting.id, [proposal.id], now=datetime.now(UTC)
    )
    await session.commit()
    opened = await open_in_meeting(gql, admin, proposal, meeting, ballot.value)
    assert opened["proposal"]["tally"]["seatsEligible"] == 2

    def vote(choice: str, seat=None) -> dict:
        given = {"proposalId": gid(proposal), "choice": choice}
        if seat is not None:
            given["seatId"] = gid(seat.seat)
        return {"input": given}

    # When the carrier votes for the represented seat, twice (the second replaces the first)
    for choice in ("NO", "YES"):
        by_proxy = await gql.data(CAST, vote(choice, giving), as_=carrier.holder)
        assert by_proxy["castVote"]["errors"] == []
    secret = ballot is Ballot.SECRET
    assert by_proxy["castVote"]["vote"] == {"castAs": "PROXY", "choice": None if secret else "YES"}

    # Then the seat's alternate takes the vote back, and the proxy can no longer replace it
    own = await gql.data(CAST, vote("NO", giving), as_=giving.alternate)
    assert own["castVote"]["vote"]["castAs"] == "ALTERNATE"
    refused = await gql.data(CAST, vote("YES", giving), as_=carrier.holder)
    assert refused["castVote"]["errors"] == [{"field": "seatId", "code": "SEAT_VOTED_ITSELF"}]
    stored = await session.scalar(select(Vote).where(Vote.seat_id == giving.seat.id))
    await session.commit()
    assert (stored.cast_as, stored.cast_by_id, stored.proxy_id) == (
        VoterRole.ALTERNATE,
        giving.alternate.id,
        None,
    )
    trail = await audit_actions(session)
    assert trail == ["PROXY_GRANTED", "PROXY_USED", "PROXY_USED"]
    details = list(await session.scalars(select(AuditEvent.detail)))
    await session.commit()
    assert not any(word in d for d in details for word in ("YES", "NO"))


async def test_a_proxy_for_one_proposal_votes_in_its_online_window(session, gql):
    # Given a seat's proxy for one proposal, given while it was in discussion
    admin = await create_admin(session)
    giving, carrier = await create_committee(session, 2)
    proposal = await create_proposal(session)
    await give_proxy(session, giving, carrier, proposal_id=proposal.id)
    await session.commit()
    closes = (datetime.now(UTC) + timedelta(hours=2)).isoformat()
    opening = {"proposalId": gid(proposal), "rule": "MAJORITY", "quorum": 0.5}
    opening |= {"ballot": "RECORDED", "closesAt": closes}
    assert (await gql.data(OPEN, {"input": opening}, as_=admin))["openVoting"]["errors"] == []

    # When its carrier votes for the seat, without naming it and then naming it
    unnamed = {"proposalId": gid(proposal), "choice": "YES"}
    own = await gql.data(CAST, {"input": unnamed}, as_=carrier.holder)
    named = await gql.data(
        CAST, {"input": {**unnamed, "seatId": gid(giving.seat)}}, as_=carrier.holder
    )

    # Then the unnamed vote is the carrier's own seat's, the named one the proxy's
    assert own["castVote"]["vote"] == {"castAs": "HOLDER", "choice": "YES"}
    assert named["castVote"]["vote"] == {"castAs": "PROXY", "choice": "YES"}

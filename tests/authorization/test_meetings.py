"""Who may set a meeting's agenda and give or revoke a seat's proxy: an anonymous caller, a
member without a seat, another seat's holder, the seat's own holder, and an admin. A refused
call changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from hub.infrastructure.models import AgendaItem, AuditEvent, Proxy
from hub.interfaces.graphql.node import to_global_id
from tests.factories import affiliate, create_admin, create_organization, create_person
from tests.governance.factories import create_committee, create_proposal
from tests.governance.meeting_factories import create_meeting, give_proxy

ANONYMOUS, MEMBER, OTHER_SEAT, HOLDER, ADMIN = (
    "anonymous",
    "member without a seat",
    "another seat's holder",
    "the seat's holder",
    "admin",
)
OK, F, U = "ok", "FORBIDDEN", "UNAUTHENTICATED"
OPERATIONS = {
    "setMeetingAgenda": (
        "mutation ($meeting: ID!, $proposal: ID!) { setMeetingAgenda(input: "
        "{meetingId: $meeting, proposalIds: [$proposal]}) "
        "{ meeting { seatsHeld } errors { code } } }"
    ),
    "grantProxy": (
        "mutation ($seat: ID!, $to: ID!, $meeting: ID!) { grantProxy(input: "
        "{seatId: $seat, toSeatId: $to, meetingId: $meeting}) { proxy { id } errors { code } } }"
    ),
    "revokeProxy": (
        "mutation ($proxy: ID!) { revokeProxy(input: {proxyId: $proxy}) "
        "{ proxy { id } errors { code } } }"
    ),
}
EXPECTED = {
    "setMeetingAgenda": {ANONYMOUS: U, MEMBER: F, OTHER_SEAT: F, HOLDER: F, ADMIN: OK},
    "grantProxy": {ANONYMOUS: U, MEMBER: F, OTHER_SEAT: F, HOLDER: OK, ADMIN: OK},
    # Proxies are not visible outside the committee: to a member the proxy does not exist.
    "revokeProxy": {ANONYMOUS: U, MEMBER: "UNKNOWN_PROXY", OTHER_SEAT: F, HOLDER: OK, ADMIN: OK},
}
CASES = [(operation, role) for operation, roles in EXPECTED.items() for role in roles]


async def written(session) -> tuple[int, int, int]:
    counts = [
        await session.scalar(select(func.count()).select_from(model))
        for model in (AgendaItem, Proxy, AuditEvent)
    ]
    revoked = await session.scalar(select(func.count()).where(Proxy.revoked_at.is_not(None)))
    await session.commit()
    return (*counts, revoked)  # type: ignore[return-value]


@pytest.mark.parametrize(("operation", "role"), CASES)
async def test_who_may_run_the_meeting_s_mutations(session, gql, operation, role):
    giving, carrier, other = await create_committee(session, 3)
    admin = await create_admin(session)
    member = await create_person(session)
    await affiliate(session, member, await create_organization(session))
    meeting = await create_meeting(session)
    proposal = await create_proposal(session)
    revocable = await give_proxy(session, giving, other, meeting=await create_meeting(session))
    await session.commit()
    people = {MEMBER: member, OTHER_SEAT: carrier.holder, HOLDER: giving.holder, ADMIN: admin}
    variables = {
        "meeting": str(to_global_id("Convening", meeting.id)),
        "proposal": str(to_global_id("Proposal", proposal.id)),
        "seat": str(to_global_id("CommitteeSeat", giving.seat.id)),
        "to": str(
            to_global_id("CommitteeSeat", (other if role == OTHER_SEAT else carrier).seat.id)
        ),
        "proxy": str(to_global_id("Proxy", revocable.id)),
    }
    text = OPERATIONS[operation]
    wanted = {k: v for k, v in variables.items() if f"${k}" in text}
    before = await written(session)

    body = await gql(text, wanted, as_=people.get(role))

    expected = EXPECTED[operation][role]
    payload = (body.get("data") or {}).get(operation)
    if expected == OK:
        assert payload["errors"] == [], body
        assert await written(session) != before
    elif expected in (F, U):
        assert body["errors"][0]["extensions"]["code"] == expected
        assert await written(session) == before
    else:
        assert [e["code"] for e in payload["errors"]] == [expected]
        assert await written(session) == before

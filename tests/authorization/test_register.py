"""Who may add and update a decided proposal's follow-up actions: an anonymous caller, a peer's
client, a member who is not a sponsor, a person of a sponsoring organization, and an admin. A
refused call changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from hub.infrastructure.models import AuditEvent, FollowUpAction
from hub.infrastructure.models.governance import VoteChoice
from hub.interfaces.graphql.node import to_global_id
from tests.auth.peers import register_peer
from tests.factories import create_admin
from tests.governance.factories import create_committee
from tests.governance.register_factories import create_action, create_decision

ANONYMOUS, PEER, MEMBER, SPONSOR, ADMIN = (
    "anonymous",
    "peer:read client",
    "member, not a sponsor",
    "sponsor",
    "admin",
)
OK, F, U = "ok", "FORBIDDEN", "UNAUTHENTICATED"
OPERATIONS = {
    "addFollowUpAction": (
        "mutation ($proposal: ID!, $owner: ID!) { addFollowUpAction(input: {proposalId: "
        '$proposal, what: "Publish", organizationId: $owner}) { action { id } errors { code } } }'
    ),
    "updateFollowUpAction": (
        "mutation ($action: ID!) { updateFollowUpAction(input: {actionId: $action, status: DONE})"
        " { action { id } errors { code } } }"
    ),
}
EXPECTED = {
    operation: {ANONYMOUS: U, PEER: F, MEMBER: F, SPONSOR: OK, ADMIN: OK}
    for operation in OPERATIONS
}
CASES = [(operation, role) for operation, roles in EXPECTED.items() for role in roles]


async def written(session) -> tuple[int, int, int]:
    counts = [
        await session.scalar(select(func.count()).select_from(model))
        for model in (FollowUpAction, AuditEvent)
    ]
    done = await session.scalar(select(func.count()).where(FollowUpAction.status == "DONE"))
    await session.commit()
    return (*counts, done)  # type: ignore[return-value]


@pytest.mark.parametrize(("operation", "role"), CASES)
async def test_who_may_keep_follow_up_actions(session, gql, runtime, operation, role):
    sponsor, other = await create_committee(session, 2)
    admin = await create_admin(session)
    proposal = await create_decision(
        session, admin, [sponsor, other], [VoteChoice.YES] * 2, sponsor=sponsor
    )
    action = await create_action(session, proposal, other.organization.id)
    peer = await register_peer(session)
    await session.commit()
    people = {MEMBER: other.holder, SPONSOR: sponsor.alternate, ADMIN: admin}
    token = None
    if role == PEER:
        token = runtime.signer.issue(
            f"client:{peer.client.client_id}", 60, frozenset({"peer:read"})
        )
    variables = {
        "proposal": str(to_global_id("Proposal", proposal.id)),
        "owner": str(to_global_id("Organization", other.organization.id)),
        "action": str(to_global_id("FollowUpAction", action.id)),
    }
    text = OPERATIONS[operation]
    wanted = {k: v for k, v in variables.items() if f"${k}" in text}
    before = await written(session)

    body = await gql(text, wanted, as_=people.get(role), token=token)

    expected = EXPECTED[operation][role]
    if expected == OK:
        assert body["data"][operation]["errors"] == [], body
        assert await written(session) != before
    else:
        assert body["errors"][0]["extensions"]["code"] == expected, body
        assert await written(session) == before

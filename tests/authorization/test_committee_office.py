"""Who may use the committee's back office: vacate a seat, read the whole roster, create a
proposal with a form's key, and what each role is told it may do (write proposals, edit one,
open or close its voting). An anonymous caller, a peer's client, a member without a seat, a
seat's holder and an admin. A refused call changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from hub.infrastructure.models import CommitteeSeat, GovernanceEvent, Proposal
from hub.infrastructure.models.governance import ProposalStatus
from hub.interfaces.graphql.node import to_global_id
from tests.auth.peers import register_peer
from tests.factories import affiliate, create_admin, create_organization, create_person
from tests.governance.factories import create_committee, create_open_vote, create_proposal

ANONYMOUS, PEER, MEMBER, HOLDER, ADMIN = (
    "anonymous",
    "peer:read client",
    "member without a seat",
    "a seat's holder",
    "admin",
)
ROLES = (ANONYMOUS, PEER, MEMBER, HOLDER, ADMIN)
OK, F, U = "ok", "FORBIDDEN", "UNAUTHENTICATED"
OPERATIONS = {
    "vacateSeat": (
        "mutation ($organization: ID!) { vacateSeat(input: {organizationId: $organization}) "
        "{ seat { active } errors { code } } }"
    ),
    "createProposal": (
        'mutation { createProposal(input: {title: "Ban fracking", idempotencyKey: "form-1"}) '
        "{ proposal { id } errors { code } } }"
    ),
    "committeeRoster": "{ committeeRoster { active organization { name } } }",
}
EXPECTED = {
    "vacateSeat": {ANONYMOUS: U, PEER: F, MEMBER: F, HOLDER: F, ADMIN: OK},
    "createProposal": {ANONYMOUS: U, PEER: F, MEMBER: F, HOLDER: OK, ADMIN: OK},
    "committeeRoster": {ANONYMOUS: U, PEER: F, MEMBER: F, HOLDER: F, ADMIN: OK},
}
CASES = [(operation, role) for operation, roles in EXPECTED.items() for role in roles]
POWERS = """
query ($draft: ID!, $discussed: ID!, $voting: ID!) {
  viewerMayWriteProposals
  draft: node(id: $draft) { ... on Proposal { viewerMayEdit viewerMayOpenVoting } }
  discussed: node(id: $discussed) { ... on Proposal { viewerMayEdit viewerMayOpenVoting } }
  voting: node(id: $voting) { ... on Proposal { viewerMayEdit viewerMayCloseVoting } }
}
"""


async def written(session) -> tuple[int, ...]:
    counts = [
        await session.scalar(select(func.count()).select_from(model))
        for model in (Proposal, GovernanceEvent)
    ]
    active = await session.scalar(select(func.count()).where(CommitteeSeat.active))
    await session.commit()
    return (*counts, active)  # type: ignore[return-value]


async def arrange(session, runtime):
    seated, _ = await create_committee(session, 2)
    admin = await create_admin(session)
    member = await create_person(session)
    await affiliate(session, member, await create_organization(session))
    peer = await register_peer(session)
    await session.commit()
    people = {MEMBER: member, HOLDER: seated.holder, ADMIN: admin}
    token = runtime.signer.issue(f"client:{peer.client.client_id}", 60, frozenset({"peer:read"}))
    return seated, people, token


@pytest.mark.parametrize(("operation", "role"), CASES)
async def test_who_may_use_the_committee_back_office(session, gql, runtime, operation, role):
    seated, people, peer_token = await arrange(session, runtime)
    text = OPERATIONS[operation]
    variables = {"organization": str(to_global_id("Organization", seated.organization.id))}
    wanted = {k: v for k, v in variables.items() if f"${k}" in text}
    before = await written(session)

    body = await gql(text, wanted, as_=people.get(role), token=peer_token if role == PEER else None)

    expected = EXPECTED[operation][role]
    if expected != OK:
        assert body["errors"][0]["extensions"]["code"] == expected, body
        assert await written(session) == before
    elif operation == "committeeRoster":
        assert [seat["active"] for seat in body["data"]["committeeRoster"]] == [True, True]
    else:
        assert body["data"][operation]["errors"] == [], body
        assert await written(session) != before


EXPECTED_POWERS = {
    ANONYMOUS: (False, None, (False, False), (False, False)),
    PEER: (False, None, (False, False), (False, False)),
    MEMBER: (False, None, (False, False), (False, False)),
    HOLDER: (True, (True, False), (True, False), (False, False)),
    ADMIN: (True, (True, False), (True, True), (False, True)),
}


@pytest.mark.parametrize("role", ROLES)
async def test_each_role_is_told_what_it_may_do_with_proposals(session, gql, runtime, role):
    _, people, peer_token = await arrange(session, runtime)
    draft = await create_proposal(session, status=ProposalStatus.DRAFT)
    discussed = await create_proposal(session)
    voting = await create_open_vote(session)
    await session.commit()
    variables = {
        name: str(to_global_id("Proposal", row.id))
        for name, row in (("draft", draft), ("discussed", discussed), ("voting", voting))
    }

    body = await gql(
        POWERS, variables, as_=people.get(role), token=peer_token if role == PEER else None
    )

    data = body["data"]
    shown = (
        data["viewerMayWriteProposals"],
        tuple(data["draft"].values()) if data["draft"] else None,  # drafts: insiders only
        tuple(data["discussed"].values()) if data["discussed"] else (False, False),
        tuple(data["voting"].values()) if data["voting"] else (False, False),
    )
    assert shown == EXPECTED_POWERS[role]

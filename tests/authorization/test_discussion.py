"""Who may take part in a proposal's discussion and amend it, for every new mutation: an
anonymous caller, a person of an ALLY organization, a member, the comment's author (and their
read-only token), a seat's holder, a sponsor and an admin. A refused call changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from hub.access.auth.personal_tokens import READ, make_personal_token
from hub.infrastructure.models import (
    AuditEvent,
    Proposal,
    ProposalAmendment,
    ProposalComment,
    ProposalSponsor,
    ProposalVersion,
)
from hub.infrastructure.models.directory import OrganizationKind
from hub.infrastructure.models.governance import ProposalStatus
from hub.interfaces.graphql.node import to_global_id
from tests.convenings.factories import create_member
from tests.factories import create_admin, create_organization
from tests.governance.factories import create_proposal, create_seat

ANONYMOUS, ALLY, MEMBER, AUTHOR, READ_TOKEN, COMMITTEE, SPONSOR, ADMIN = (
    "anonymous",
    "person of an ALLY organization",
    "another member",
    "the comment's author",
    "the author's read-only token",
    "a seat's holder",
    "a person of a sponsoring organization",
    "admin",
)
OK = "ok"
U, F = "UNAUTHENTICATED", "FORBIDDEN"

# Each mutation, the variable naming its object, and its other input fields.
CALLS = {
    "addComment": ("proposal", "proposalId", 'body: "Hi"'),
    "editComment": ("comment", "commentId", 'body: "Edited"'),
    "withdrawComment": ("comment", "commentId", ""),
    "hideComment": ("comment", "commentId", 'reason: "Off topic"'),
    "proposeAmendment": ("proposal", "proposalId", 'body: "New", rationale: "Why"'),
    "acceptAmendment": ("amendment", "amendmentId", ""),
    "rejectAmendment": ("amendment", "amendmentId", ""),
}
OPERATIONS = {
    name: (
        f"mutation (${variable}: ID!) {{ {name}(input: {{{field}: ${variable}"
        f"{', ' + rest if rest else ''}}}) {{ errors {{ code }} }} }}"
    )
    for name, (variable, field, rest) in CALLS.items()
}
# What each caller gets: OK, a payload's error code, or the GraphQL error's code.
AUTHORS_ONLY = {
    ANONYMOUS: U,
    ALLY: "UNKNOWN_COMMENT",  # the discussion is not theirs to see
    MEMBER: F,
    AUTHOR: OK,
    READ_TOKEN: F,
    COMMITTEE: F,
    ADMIN: F,
}
DECIDERS = {
    ANONYMOUS: U,
    ALLY: "UNKNOWN_AMENDMENT",  # a proposal in discussion is not theirs to see
    MEMBER: F,
    COMMITTEE: F,  # the seat that proposed it does not decide it
    SPONSOR: OK,
    ADMIN: OK,
}
EXPECTED = {
    "addComment": {
        ANONYMOUS: U,
        ALLY: F,
        MEMBER: OK,
        READ_TOKEN: F,
        COMMITTEE: OK,
        SPONSOR: OK,
        ADMIN: OK,
    },
    "editComment": AUTHORS_ONLY,
    "withdrawComment": AUTHORS_ONLY,
    "hideComment": {ANONYMOUS: U, ALLY: F, MEMBER: F, AUTHOR: F, COMMITTEE: F, ADMIN: OK},
    "proposeAmendment": {
        ANONYMOUS: U,
        ALLY: F,
        MEMBER: F,
        SPONSOR: F,
        COMMITTEE: OK,
        ADMIN: F,  # admins edit the text directly (updateProposal); amendments are seats'
    },
    "acceptAmendment": DECIDERS,
    "rejectAmendment": DECIDERS,
}
CASES = [(operation, role) for operation, roles in EXPECTED.items() for role in roles]


@dataclass
class World:
    tokens: dict[str, str | None]
    variables: dict[str, str]


async def arrange(session, gql) -> World:
    proposal = await create_proposal(session, status=ProposalStatus.DISCUSSION)
    sponsoring = await create_organization(session)
    session.add(ProposalSponsor(proposal_id=proposal.id, organization_id=sponsoring.id))
    ally_org = await create_organization(session, kind=OrganizationKind.ALLY)
    seated = await create_seat(session)
    people = {
        ALLY: await create_member(session, ally_org),
        MEMBER: await create_member(session),
        AUTHOR: await create_member(session),
        COMMITTEE: seated.holder,
        SPONSOR: await create_member(session, sponsoring),
        ADMIN: await create_admin(session),
    }
    comment = ProposalComment(proposal_id=proposal.id, author_id=people[AUTHOR].id, body="Mine")
    amendment = ProposalAmendment(
        proposal_id=proposal.id,
        seat_id=seated.seat.id,
        proposed_by_id=seated.holder.id,
        base_version=1,
        body="Amended",
        rationale="Clearer",
    )
    session.add_all([comment, amendment])
    now = datetime.now(UTC)
    read_only = await make_personal_token(
        session,
        person_id=people[AUTHOR].id,
        name="read",
        scopes=frozenset({READ}),
        expires_at=now + timedelta(days=1),
        now=now,
    )
    await session.commit()
    return World(
        tokens={
            ANONYMOUS: None,
            READ_TOKEN: read_only.secret,
            **{role: gql.token_for(person) for role, person in people.items()},
        },
        variables={
            "proposal": to_global_id("Proposal", proposal.id),
            "comment": to_global_id("ProposalComment", comment.id),
            "amendment": to_global_id("ProposalAmendment", amendment.id),
        },
    )


async def state(session) -> tuple:
    """Everything these calls may change."""
    comments = (
        await session.execute(
            select(
                ProposalComment.id,
                ProposalComment.body,
                ProposalComment.status,
                ProposalComment.hidden_reason,
            )
        )
    ).all()
    amendments = (
        await session.execute(select(ProposalAmendment.id, ProposalAmendment.status))
    ).all()
    versions = await session.scalar(select(func.count()).select_from(ProposalVersion))
    bodies = (await session.scalars(select(Proposal.body))).all()
    audit = await session.scalar(select(func.count()).select_from(AuditEvent))
    await session.commit()
    return sorted(comments), sorted(amendments), versions, bodies, audit


def outcome(body: dict) -> str:
    if body.get("errors"):
        return body["errors"][0]["extensions"]["code"]
    [value] = body["data"].values()
    return value["errors"][0]["code"] if value["errors"] else OK


@pytest.mark.parametrize(("operation", "role"), CASES)
async def test_who_may_discuss_and_amend(session, gql, operation, role):
    # Given a proposal in discussion with a comment and a pending amendment
    world = await arrange(session, gql)
    before = await state(session)
    text = OPERATIONS[operation]
    wanted = {k: v for k, v in world.variables.items() if f"${k}" in text}

    # When the caller asks
    body = (await gql.post(text, wanted, token=world.tokens[role])).json()

    # Then they get what the policy says, and a refusal changed nothing
    assert outcome(body) == EXPECTED[operation][role], body
    if outcome(body) != OK:
        assert await state(session) == before
    else:
        assert await state(session) != before

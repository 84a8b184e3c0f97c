"""Who may do what with credentials and admin rights, for every new query and mutation: the
owner, another person, an admin, an anonymous caller, and the owner's own tokens (read-only
and read-write). A refused call changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from hub.access.auth.personal_tokens import READ, WRITE, make_personal_token
from hub.domains.signin.sessions import open_session
from hub.infrastructure.models import AuditEvent, Person, PersonalAccessToken, SignInSession
from hub.interfaces.graphql.node import to_global_id
from tests.factories import create_admin, create_person

ANONYMOUS, OTHER, OWNER, ADMIN, READ_TOKEN, WRITE_TOKEN = (
    "anonymous",
    "another person",
    "owner",
    "admin",
    "owner's read-only token",
    "owner's read-write token",
)
OK, NONE_FOUND = "ok", "NOT_FOUND"

OPERATIONS = {
    "personalAccessTokens(email)": (
        '{ personalAccessTokens(email: "owner@example.org") { name } }',
    ),
    "signInSessions(email)": ('{ signInSessions(email: "owner@example.org") { provider } }',),
    "admins": ("{ admins { email } }",),
    "node(token)": ("query ($token: ID!) { node(id: $token) { id } }",),
    "createPersonalAccessToken": (
        """mutation ($expires: DateTime!) { createPersonalAccessToken(input: {name: "n",
        scopes: [READ], expiresAt: $expires}) { secret errors { code } } }""",
    ),
    "revokePersonalAccessToken": (
        "mutation ($token: ID!) { revokePersonalAccessToken(input: {id: $token}) "
        "{ token { name } errors { code } } }",
    ),
    "endSignInSession": (
        "mutation ($session: ID!) { endSignInSession(input: {id: $session}) "
        "{ ended errors { code } } }",
    ),
    "signOutEverywhere(email)": (
        'mutation { signOutEverywhere(input: {email: "owner@example.org"}) '
        "{ sessionsEnded errors { code } } }",
    ),
    "grantAdmin": (
        'mutation { grantAdmin(input: {email: "other@example.org"}) '
        "{ person { email } errors { code } } }",
    ),
    "revokeAdmin": (
        'mutation { revokeAdmin(input: {email: "admin2@example.org"}) '
        "{ person { email } errors { code } } }",
    ),
}

F, U = "FORBIDDEN", "UNAUTHENTICATED"
# What each caller gets: OK, a payload's NOT_FOUND, or the GraphQL error's code.
EXPECTED = {
    "personalAccessTokens(email)": {ANONYMOUS: U, OTHER: F, OWNER: F, ADMIN: OK},
    "signInSessions(email)": {ANONYMOUS: U, OTHER: F, OWNER: F, ADMIN: OK},
    "admins": {ANONYMOUS: U, OTHER: F, OWNER: F, ADMIN: OK},
    # Someone else's token is no more there for them than an unknown one.
    "node(token)": {ANONYMOUS: "null", OTHER: "null", OWNER: OK, ADMIN: OK},
    "createPersonalAccessToken": {
        ANONYMOUS: U,
        OTHER: OK,
        OWNER: OK,
        ADMIN: OK,
        READ_TOKEN: F,
        WRITE_TOKEN: F,
    },
    "revokePersonalAccessToken": {
        ANONYMOUS: U,
        OTHER: NONE_FOUND,
        OWNER: OK,
        ADMIN: OK,
        READ_TOKEN: F,
        WRITE_TOKEN: OK,
    },
    "endSignInSession": {
        ANONYMOUS: U,
        OTHER: NONE_FOUND,
        OWNER: OK,
        ADMIN: OK,
        READ_TOKEN: F,
    },
    "signOutEverywhere(email)": {ANONYMOUS: U, OTHER: F, OWNER: F, ADMIN: OK},
    "grantAdmin": {ANONYMOUS: U, OTHER: F, OWNER: F, ADMIN: OK, WRITE_TOKEN: F},
    "revokeAdmin": {ANONYMOUS: U, OTHER: F, OWNER: F, ADMIN: OK, WRITE_TOKEN: F},
}
CASES = [(operation, role) for operation, roles in EXPECTED.items() for role in roles]


@dataclass
class World:
    tokens: dict[str, str | None]
    variables: dict[str, str]


async def arrange(session, gql) -> World:
    owner = await create_person(session, email="owner@example.org")
    other = await create_person(session, email="other@example.org")
    admin = await create_admin(session, email="admin@example.org")
    await create_admin(session, email="admin2@example.org")
    now = datetime.now(UTC)
    tokens = {}
    for role, scopes in ((READ_TOKEN, {READ}), (WRITE_TOKEN, {READ, WRITE})):
        made = await make_personal_token(
            session,
            person_id=owner.id,
            name=role,
            scopes=frozenset(scopes),
            expires_at=now + timedelta(days=1),
            now=now,
        )
        tokens[role] = made.secret
    await open_session(session, person_id=owner.id, provider="email", user_agent=None, now=now)
    people = {OTHER: other.id, OWNER: owner.id, ADMIN: admin.id}
    await session.commit()
    token_id = await session.scalar(select(func.min(PersonalAccessToken.id)))
    session_id = await session.scalar(select(SignInSession.id))
    await session.rollback()
    return World(
        tokens={
            ANONYMOUS: None,
            **{role: gql.token_for(person_id) for role, person_id in people.items()},
            **tokens,
        },
        variables={
            "token": to_global_id("PersonalAccessToken", token_id),
            "session": to_global_id("SignInSession", session_id),
            "expires": (now + timedelta(days=30)).isoformat(),
        },
    )


async def state(session) -> tuple:
    """Everything a credentials call may change."""
    session.expire_all()
    tokens = (
        await session.execute(select(PersonalAccessToken.id, PersonalAccessToken.revoked_at))
    ).all()
    sessions = (await session.execute(select(SignInSession.id, SignInSession.ended_at))).all()
    admins = (await session.scalars(select(Person.email).where(Person.is_admin))).all()
    audit = await session.scalar(select(func.count()).select_from(AuditEvent))
    await session.rollback()  # SQLite: a read transaction holds the write lock (BEGIN IMMEDIATE)
    return sorted(tokens), sorted(sessions), sorted(admins), audit


def outcome(body: dict) -> str:
    if body.get("errors"):
        return body["errors"][0]["extensions"]["code"]
    [value] = body["data"].values()
    if value is None:
        return "null"
    if isinstance(value, dict) and value.get("errors"):
        return value["errors"][0]["code"]
    return OK


@pytest.mark.parametrize(("operation", "role"), CASES)
async def test_who_may_read_and_change_credentials(session, gql, operation, role):
    # Given an owner with a session and two tokens, another person and two admins
    world = await arrange(session, gql)
    before = await state(session)
    (text,) = OPERATIONS[operation]
    wanted = {k: v for k, v in world.variables.items() if f"${k}" in text}

    # When the caller asks
    answer = await gql.post(text, wanted, token=world.tokens[role])
    body = answer.json()

    # Then they get what the policy says, and a refusal changed nothing
    assert outcome(body) == EXPECTED[operation][role], body
    if outcome(body) != OK:
        assert await state(session) == before

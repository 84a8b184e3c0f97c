"""Who may use the guests', profile and unsubscribe mutations: each caller gets what the policy
says, and a refusal changes nothing."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from hub.delivery.email import preferences
from hub.delivery.email.preferences import EmailCategory
from hub.infrastructure.models import Affiliation, EmailOptOut, GuestRsvpRequest, Person
from hub.infrastructure.models.convenings import Visibility
from hub.interfaces.graphql.node import to_global_id
from tests.auth.peers import fetch_token, https_client, register_peer
from tests.convenings.factories import create_convening
from tests.factories import create_admin, create_organization, create_person

ANONYMOUS, PEER, GUEST, MEMBER, ADMIN = "anonymous", "peer client", "guest", "member", "admin"
OK, F, U = "OK", "FORBIDDEN", "UNAUTHENTICATED"

OPERATIONS = {
    "requestGuestRsvp(PUBLIC)": """mutation ($public: ID!) { requestGuestRsvp(input: {
        conveningId: $public, name: "Lupe", email: "lupe@example.org"}) { errors { code } } }""",
    "requestGuestRsvp(MEMBERS)": """mutation ($members: ID!) { requestGuestRsvp(input: {
        conveningId: $members, name: "Lupe", email: "lupe@example.org"}) { errors { code } } }""",
    "confirmGuestRsvp(forged)": """mutation { confirmGuestRsvp(input: {token: "forged"}) {
        errors { code } } }""",
    "attachGuestToOrganization": """mutation ($guest: ID!, $org: ID!) {
        attachGuestToOrganization(input: {personId: $guest, organizationId: $org}) {
        person { isGuest } errors { code } } }""",
    "updateMyProfile": """mutation { updateMyProfile(input: {name: "New name",
        emailCategories: []}) { errors { code } } }""",
    "unsubscribe(real)": """mutation ($token: String!) { unsubscribe(input: {token: $token}) {
        errors { code } } }""",
    "unsubscribe(forged)": """mutation { unsubscribe(input: {token: "forged"}) {
        errors { code } } }""",
    "myEmailCategories": "{ myEmailCategories }",
    "guests": "{ guests(first: 5) { totalCount edges { node { name isGuest } } } }",
}
# A peer's read-only client may make no mutation at all (its scopes): refused before any rule.
EVERYONE_OK = {ANONYMOUS: OK, PEER: F, GUEST: OK, MEMBER: OK, ADMIN: OK}


def everyone(code: str) -> dict[str, str]:
    return {ANONYMOUS: code, PEER: F, GUEST: code, MEMBER: code, ADMIN: code}


EXPECTED = {
    # Anyone may answer a PUBLIC convening as a guest; any other is unknown to everyone.
    "requestGuestRsvp(PUBLIC)": EVERYONE_OK,
    "requestGuestRsvp(MEMBERS)": everyone("UNKNOWN_CONVENING"),
    "confirmGuestRsvp(forged)": everyone("INVALID_TOKEN"),
    "attachGuestToOrganization": {ANONYMOUS: U, PEER: F, GUEST: F, MEMBER: F, ADMIN: OK},
    "updateMyProfile": {ANONYMOUS: U, PEER: F, GUEST: OK, MEMBER: OK, ADMIN: OK},
    # The link's token is the authority, whoever posts it.
    "unsubscribe(real)": EVERYONE_OK,
    "unsubscribe(forged)": everyone("INVALID_TOKEN"),
    "myEmailCategories": {ANONYMOUS: "null", PEER: "null", GUEST: OK, MEMBER: OK, ADMIN: OK},
    "guests": {ANONYMOUS: U, PEER: F, GUEST: F, MEMBER: F, ADMIN: OK},
}
CASES = [(operation, role) for operation, roles in EXPECTED.items() for role in roles]


@dataclass
class World:
    tokens: dict[str, str | None]
    variables: dict[str, str]


async def arrange(session, gql, app) -> World:
    organization = await create_organization(session, name="SCOPE")
    guest = await create_person(session, name="Gil", email="gil@example.org", is_guest=True)
    member = await create_person(session, email="member@example.org")
    session.add(Affiliation(person_id=member.id, organization_id=organization.id, role="MEMBER"))
    admin = await create_admin(session, email="admin@example.org")
    public = await create_convening(session, visibility=Visibility.PUBLIC)
    members = await create_convening(session, visibility=Visibility.MEMBERS)
    token = await preferences.new_unsubscribe_token(session, member.id, EmailCategory.REMINDERS)
    await session.commit()
    registered = await register_peer(session)
    await session.commit()
    async with https_client(app) as client:
        peer_token = await fetch_token(client, registered)
    people = {GUEST: guest, MEMBER: member, ADMIN: admin}
    return World(
        tokens={
            ANONYMOUS: None,
            PEER: peer_token,
            **{role: gql.token_for(p) for role, p in people.items()},
        },
        variables={
            "public": to_global_id("Convening", public.id),
            "members": to_global_id("Convening", members.id),
            "guest": to_global_id("Person", guest.id),
            "org": to_global_id("Organization", organization.id),
            "token": token,
        },
    )


async def state(session) -> tuple:
    session.expire_all()
    people = (await session.execute(select(Person.name, Person.is_guest).order_by(Person.id))).all()
    counts = [
        await session.scalar(select(func.count()).select_from(model))
        for model in (Affiliation, GuestRsvpRequest, EmailOptOut)
    ]
    await session.rollback()
    return people, counts


def outcome(body: dict) -> str:
    if body.get("errors"):
        return str(body["errors"][0]["extensions"]["code"])
    [value] = body["data"].values()
    if value is None:
        return "null"
    if isinstance(value, dict) and value.get("errors"):
        return str(value["errors"][0]["code"])
    return OK


@pytest.mark.parametrize(("operation", "role"), CASES)
async def test_who_may_answer_as_a_guest_attach_and_change_email(
    session, gql, app, operation, role
):
    world = await arrange(session, gql, app)
    before = await state(session)
    text = OPERATIONS[operation]
    wanted = {k: v for k, v in world.variables.items() if f"${k}" in text}

    body = (await gql.post(text, wanted, token=world.tokens[role])).json()

    assert outcome(body) == EXPECTED[operation][role], body
    if outcome(body) != OK:
        assert await state(session) == before
    elif operation == "guests":
        assert body["data"]["guests"] == {
            "totalCount": 1,
            "edges": [{"node": {"name": "Gil", "isGuest": True}}],
        }
    elif operation == "attachGuestToOrganization":
        assert body["data"]["attachGuestToOrganization"]["person"] == {"isGuest": False}

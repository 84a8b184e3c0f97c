"""An API client's token at /graphql: the public slice with `peer:read`, nothing private by any
path, and clear refusals for revoked clients, expired tokens and scopes that do not allow."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from hub.access.auth.clients import revoke_client
from hub.infrastructure.models import Organization
from hub.infrastructure.models.directory import AffiliationRole
from hub.interfaces.graphql.node import to_global_id
from tests.auth.peers import fetch_token, https_client, register_peer
from tests.factories import affiliate, create_organization, create_person


@pytest.fixture
async def https(app):
    async with https_client(app) as client:
        yield client


@pytest.fixture
async def alliance(session):
    """A member organization with a contact whose email and phones are private."""
    member = await create_organization(session, name="Oakland Rising", slug="oakland-rising")
    person = await create_person(
        session, name="Rosa Parks", email="rosa@example.org", phone="+1 510 555 0100"
    )
    affiliation = await affiliate(
        session,
        person,
        member,
        AffiliationRole.CONTACT,
        work_email="rosa@oaklandrising.org",
        work_phone="+1 510 555 0101",
    )
    await session.commit()
    return member, person, affiliation


PRIVATE_PROBES = """
query ($person: ID!, $affiliation: ID!) {
  viewer { name email }
  people(first: 10) { totalCount edges { node { name email phone } } }
  person: node(id: $person) { ... on Person { name email phone } }
  affiliation: node(id: $affiliation) { ...private }
  organizations(first: 10) {
    edges { node { name affiliations { ...private person { name email } } } }
  }
}
fragment private on Affiliation { workEmail workPhone person { name email phone } }
"""


async def test_a_peer_token_reads_the_public_directory(session, https, gql, alliance):
    # Given a registered peer and its token from the token endpoint
    peer = await register_peer(session)
    token = await fetch_token(https, peer)

    # When it reads organizations
    query = "{ organizations(first: 10) { totalCount edges { node { name kind state } } } }"
    body = await gql(query, token=token)

    # Then it sees them all, with their public fields
    assert "errors" not in body
    assert body["data"]["organizations"] == {
        "totalCount": 2,
        "edges": [
            {"node": {"name": "Florida Peer", "kind": "PEER", "state": "FL"}},
            {"node": {"name": "Oakland Rising", "kind": "MEMBER", "state": None}},
        ],
    }


async def test_a_peer_token_reaches_no_person_by_any_path(session, https, gql, alliance):
    # Given a person with private contact details, affiliated with a member organization
    _, person, affiliation = alliance
    peer = await register_peer(session)
    token = await fetch_token(https, peer)
    ids = {
        "person": to_global_id("Person", person.id),
        "affiliation": to_global_id("Affiliation", affiliation.id),
    }

    # When the peer asks for people through the root list, node(id:), nested lists, fragments
    body = await gql(PRIVATE_PROBES, ids, token=token)

    # Then nothing about any person comes back, and nothing errs
    assert "errors" not in body
    assert body["data"] == {
        "viewer": None,
        "people": {"totalCount": 0, "edges": []},
        "person": None,
        "affiliation": None,
        "organizations": {
            "edges": [
                {"node": {"name": "Florida Peer", "affiliations": []}},
                {"node": {"name": "Oakland Rising", "affiliations": []}},
            ]
        },
    }
    assert "rosa" not in str(body).lower()


async def test_the_same_probes_show_an_admin_everything(session, gql, alliance):
    # The probes are real: an admin's token reads what the peer's cannot.
    _, person, affiliation = alliance
    admin = await create_person(session, name="Staff", is_admin=True)
    await session.commit()
    ids = {
        "person": to_global_id("Person", person.id),
        "affiliation": to_global_id("Affiliation", affiliation.id),
    }

    body = await gql(PRIVATE_PROBES, ids, as_=admin)

    assert body["data"]["person"] == {
        "name": "Rosa Parks",
        "email": "rosa@example.org",
        "phone": "+1 510 555 0100",
    }
    assert body["data"]["affiliation"]["workEmail"] == "rosa@oaklandrising.org"
    assert body["data"]["people"]["totalCount"] == 2


async def test_a_revoked_clients_unexpired_token_is_refused_at_once(session, https, gql):
    # Given a peer holding a fresh token
    peer = await register_peer(session)
    token = await fetch_token(https, peer)
    assert (await gql.post("{ organizations { totalCount } }", token=token)).status_code == 200

    # When the alliance revokes the client
    await revoke_client(session, peer.client.client_id)
    await session.commit()

    # Then the same token is refused on its next use
    response = await gql.post("{ organizations { totalCount } }", token=token)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'
    assert response.json() == {
        "errors": [
            {
                "message": "This API client has been revoked; its tokens no longer work.",
                "extensions": {"code": "UNAUTHENTICATED"},
            }
        ]
    }


async def test_an_expired_client_token_is_refused(session, gql, runtime):
    peer = await register_peer(session)
    expired = runtime.signer.issue(f"client:{peer.client.client_id}", -10, frozenset({"peer:read"}))

    response = await gql.post("{ organizations { totalCount } }", token=expired)

    assert response.status_code == 401
    assert response.json()["errors"][0]["message"] == "The token has expired; ask for a new one."


async def test_a_client_may_not_change_anything(session, https, gql):
    # Given a peer with peer:read
    peer = await register_peer(session)
    token = await fetch_token(https, peer)
    count = select(func.count()).select_from(Organization)
    before = await session.scalar(count)
    await session.commit()

    # When it tries a mutation
    mutation = """mutation { createOrganization(input: {name: "Sneaky", kind: MEMBER}) {
                    organization { name } errors { code } } }"""
    body = await gql(mutation, token=token)

    # Then it is refused with a clear reason, and nothing was written
    assert body["data"] is None
    assert body["errors"] == [
        {
            "message": "API clients may only read: no scope allows a mutation "
            "(this token's scopes: peer:read).",
            "extensions": {"code": "FORBIDDEN"},
        }
    ]
    assert await session.scalar(count) == before
    await session.commit()


async def test_a_client_token_without_peer_read_may_not_read(session, gql, runtime):
    # A token whose granted scopes no longer include peer:read (e.g. the scope was taken away)
    peer = await register_peer(session)
    token = runtime.signer.issue(f"client:{peer.client.client_id}", 60, frozenset())

    body = await gql("{ organizations { totalCount } }", token=token)

    assert body["data"] is None
    assert body["errors"][0]["message"] == (
        "Reading needs the scope peer:read (this token's: none)."
    )
    assert body["errors"][0]["extensions"] == {"code": "FORBIDDEN"}


async def test_a_person_token_keeps_working(session, gql):
    person = await create_person(session, name="Ana", email="ana@example.org")
    await session.commit()

    data = await gql.data("{ viewer { name email } }", as_=person)

    assert data == {"viewer": {"name": "Ana", "email": "ana@example.org"}}

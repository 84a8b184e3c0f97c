"""Every input field of the directory's mutations: what each kind of bad input gets (the field
and the code), every mistake at once, nothing stored. A PEER's state is a real two-letter code
(a US state, DC or a territory); names hold no control characters."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from hub.infrastructure.models import Organization, Person
from hub.infrastructure.models.directory import OrganizationKind
from hub.interfaces.graphql.node import to_global_id
from tests.factories import create_admin, create_organization
from tests.graphql.directory.test_directory_mutations import (
    CREATE_ORGANIZATION,
    CREATE_PERSON,
    UPDATE_ORGANIZATION,
)

ORGANIZATIONS = [
    ({"kind": "PEER", "state": "ZZ"}, [("state", "INVALID_STATE")]),
    ({"kind": "PEER", "state": "XX"}, [("state", "INVALID_STATE")]),
    ({"kind": "PEER", "state": "N1"}, [("state", "INVALID_STATE")]),
    ({"kind": "PEER"}, [("state", "REQUIRED")]),
    ({"name": "Scope\x1b[2J"}, [("name", "INVALID_CHARACTERS")]),
    ({"name": "Scope\u202eevil"}, [("name", "INVALID_CHARACTERS")]),
    ({"name": "Scope\nRising"}, [("name", "INVALID_CHARACTERS")]),
    ({"region": "South\x07LA"}, [("region", "INVALID_CHARACTERS")]),
    ({"counties": ["Los\tAngeles"]}, [("counties", "INVALID_CHARACTERS")]),
    (
        {"name": " ", "kind": "PEER", "state": "ZZ", "website": "nope"},
        [("name", "REQUIRED"), ("state", "INVALID_STATE"), ("website", "INVALID")],
    ),
    (
        {"name": "Ok", "kind": "ALLY", "anchorRole": "STATE_ANCHOR", "slug": "Not A Slug"},
        [("slug", "INVALID_SLUG"), ("anchorRole", "ANCHOR_ROLE_ONLY_FOR_MEMBERS")],
    ),
]
PEOPLE = [
    ({"name": "Ana\x01Pérez"}, [("name", "INVALID_CHARACTERS")]),
    ({"name": "Ana\u2028Pérez"}, [("name", "INVALID_CHARACTERS")]),
    ({"name": "Ana\x7f"}, [("name", "INVALID_CHARACTERS")]),
    (
        {"name": "", "email": "not an address", "phone": "call me"},
        [("name", "REQUIRED"), ("email", "INVALID_EMAIL"), ("phone", "INVALID")],
    ),
]


async def _count(runtime: Any, model: type) -> int:
    async with runtime.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


def _refused(body: dict, name: str, key: str) -> list[tuple[str, str]]:
    assert "errors" not in body, body
    assert body["data"][name][key] is None
    return [(e["field"], e["code"]) for e in body["data"][name]["errors"]]


CREATING = {
    "createOrganization": (CREATE_ORGANIZATION, {"name": "Scope", "kind": "MEMBER"}, Organization),
    "createPerson": (CREATE_PERSON, {"name": "Ana", "email": "ana@example.org"}, Person),
}


@pytest.mark.parametrize(
    ("mutation", "fields", "refused"),
    [("createOrganization", *case) for case in ORGANIZATIONS]
    + [("createPerson", *case) for case in PEOPLE],
)
async def test_bad_input_names_every_mistake_and_stores_nothing(
    session, gql, runtime, mutation, fields, refused
):
    admin = await create_admin(session)
    await session.commit()
    document, valid, model = CREATING[mutation]
    before = await _count(runtime, model)

    body = await gql(document, {"input": {**valid, **fields}}, as_=admin)

    key = "organization" if model is Organization else "person"
    assert _refused(body, mutation, key) == refused
    assert await _count(runtime, model) == before


@pytest.mark.parametrize("state", ["NY", "dc", "PR", "GU", "VI", "AS", "MP"])
async def test_a_peer_in_a_state_dc_or_a_territory_is_accepted(session, gql, state):
    admin = await create_admin(session)
    await session.commit()

    data = await gql.data(
        CREATE_ORGANIZATION, {"input": {"name": "Peer", "kind": "PEER", "state": state}}, as_=admin
    )

    assert data["createOrganization"]["errors"] == []
    assert data["createOrganization"]["organization"]["state"] == state.upper()


async def test_changing_a_peers_state_to_no_real_one_changes_nothing(session, gql, runtime):
    admin = await create_admin(session)
    peer = await create_organization(session, kind=OrganizationKind.PEER, state="NY")
    await session.commit()

    body = await gql(
        UPDATE_ORGANIZATION,
        {"input": {"id": str(to_global_id("Organization", peer.id)), "state": "QQ", "name": ""}},
        as_=admin,
    )

    assert _refused(body, "updateOrganization", "organization") == [
        ("name", "REQUIRED"),
        ("state", "INVALID_STATE"),
    ]
    async with runtime.sessions() as fresh:
        stored = await fresh.get_one(Organization, peer.id)
        assert (stored.state, stored.name) == ("NY", peer.name)

"""The check-in page's search (`rsvps(search:)`) folds accents and case as the directory does."""

from __future__ import annotations

import pytest

from hub.interfaces.graphql.node import to_global_id
from tests.convenings.factories import create_convening, create_rsvp
from tests.factories import create_admin, create_person

RSVPS = """
query ($id: ID!, $q: String!) {
  node(id: $id) { ... on Convening { rsvps(search: $q) { edges { node { person { name } } } } } }
}"""


@pytest.mark.parametrize(
    ("search", "found"),
    [
        ("alvarez", ["Rosa Álvarez", "Pedro Alvarez"]),
        ("ÁLVAREZ", ["Rosa Álvarez", "Pedro Alvarez"]),
        ("muñoz", ["Luis Muñoz", "Ana Munoz"]),
        ("MUNOZ", ["Luis Muñoz", "Ana Munoz"]),
        ("ma go", ["María González"]),
        ("lu mu", ["Luis Muñoz"]),
    ],
)
async def test_the_door_finds_people_whatever_the_accents(session, gql, search, found):
    admin = await create_admin(session)
    convening = await create_convening(session)
    for name in ("Rosa Álvarez", "Pedro Alvarez", "Luis Muñoz", "Ana Munoz", "María González"):
        await create_rsvp(session, convening, await create_person(session, name=name))
    await session.commit()

    data = await gql.data(
        RSVPS, {"id": to_global_id("Convening", convening.id), "q": search}, as_=admin
    )

    names = [e["node"]["person"]["name"] for e in data["node"]["rsvps"]["edges"]]
    assert names == found

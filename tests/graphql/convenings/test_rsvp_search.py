"""Convening.rsvps(search:): RSVPs by a few letters of the person's name, for those who may
see who is coming; % and _ are letters like any other; batched across convenings."""

from __future__ import annotations

from hub.infrastructure.models import Convening, Person
from tests.convenings.factories import create_contact, create_convening, create_member, create_rsvp
from tests.factories import create_organization, create_person
from tests.graphql.convenings.documents import gid

SEARCH = """
query ($id: ID!, $search: String) { node(id: $id) { ... on Convening {
  rsvps(first: 50, search: $search) { totalCount edges { node { person { name } } } }
} } }
"""
MANY = """
query ($search: String) { convenings(first: 50) { edges { node {
  rsvps(first: 50, search: $search) { totalCount edges { node { person { name } } } }
} } } }
"""
NAMES = ("Ana Alvarez", "ALVARO Núñez", "Bea Salvador", "Carla Cruz", "Dan 100% Sure", "Eve_Lynn")


async def _convening_with(session, names: tuple[str, ...]) -> tuple[Convening, Person]:
    host = await create_organization(session)
    contact = await create_contact(session, host)
    convening = await create_convening(session, hosts=[host])
    for name in names:
        await create_rsvp(session, convening, await create_member(session, host, name=name))
    return convening, contact


def _names(data: dict) -> list[str]:
    return [edge["node"]["person"]["name"] for edge in data["rsvps"]["edges"]]


async def test_search_finds_names_holding_the_letters_in_any_case(session, gql):
    # Given a convening with six answers
    convening, contact = await _convening_with(session, NAMES)
    await session.commit()
    # When a host contact searches a few letters
    found = {}
    for search in ("alv", "ALV", " cruz ", "%", "_", "zzz", ""):
        data = await gql.data(
            SEARCH, {"id": gid("Convening", convening.id), "search": search}, as_=contact
        )
        found[search] = (_names(data["node"]), data["node"]["rsvps"]["totalCount"])
    # Then the matches come in answer order, counted alike; % and _ match only themselves
    assert found == {
        "alv": (["Ana Alvarez", "ALVARO Núñez", "Bea Salvador"], 3),
        "ALV": (["Ana Alvarez", "ALVARO Núñez", "Bea Salvador"], 3),
        " cruz ": (["Carla Cruz"], 1),
        "%": (["Dan 100% Sure"], 1),
        "_": (["Eve_Lynn"], 1),
        "zzz": ([], 0),
        "": (list(NAMES), 6),
    }


async def test_those_who_may_not_see_the_list_find_nobody(session, gql):
    convening, _ = await _convening_with(session, NAMES)
    outsider = await create_person(session)  # signed in, affiliated with no organization
    await session.commit()

    variables = {"id": gid("Convening", convening.id), "search": "alv"}
    for viewer in (outsider, None):
        body = await gql(SEARCH, variables, as_=viewer)
        assert body["data"]["node"] in (None, {"rsvps": None}), body


async def test_search_stays_batched_across_convenings(session, gql, statements):
    # Given one convening, then twenty, each with the same six answers
    _, contact = await _convening_with(session, NAMES)
    await session.commit()
    # A first request, unmeasured: the compiled path then knows the contact, as for the other
    await gql.data(MANY, {"search": "alv"}, as_=contact)
    statements.statements.clear()
    one = await gql.data(MANY, {"search": "alv"}, as_=contact)
    one_count = statements.count
    for _ in range(19):
        host = await create_organization(session)
        convening = await create_convening(session, hosts=[host])
        for name in NAMES:
            await create_rsvp(session, convening, await create_member(session, host, name=name))
    await session.commit()
    # When the same search runs over all of them
    statements.statements.clear()
    twenty = await gql.data(MANY, {"search": "alv"}, as_=contact)
    # Then each convening answers its three matches, in as many statements as for one
    assert [len(_names(edge["node"])) for edge in one["convenings"]["edges"]] == [3]
    assert [edge["node"]["rsvps"]["totalCount"] for edge in twenty["convenings"]["edges"]] == [
        3
    ] * 20
    assert statements.count == one_count, "\n".join(statements.statements)

"""Searching names folds accents and case on both read paths and both databases: the compiled
path (PostgreSQL) and the normal one compare the folded search with the same stored column."""

from __future__ import annotations

import pytest

from hub.infrastructure.models.base import utcnow
from tests.factories import create_admin, create_organization, create_person
from tests.graphql.compiled.differential import Hub

PEOPLE = "query ($q: String!) { people(search: $q) { totalCount edges { node { name } } } }"
ORGANIZATIONS = (
    "query ($q: String!) { organizations(search: $q) { totalCount edges { node { name } } } }"
)


@pytest.fixture
async def admin_token(session, gql) -> str:
    admin = await create_admin(session, name="Ada Admin", email="ada@example.org")
    for name in ("Rosa Álvarez", "Pedro Alvarez", "Luis Muñoz", "Ana Munoz", "María González"):
        await create_person(session, name=name)
    await create_person(session, name="Gone Álvarez", removed_at=utcnow())
    for name in ("Unión Álvarez", "Alvarez Labor", "Casa Muñoz"):
        await create_organization(session, name=name)
    await create_organization(session, name="Archived Álvarez", archived_at=utcnow())
    await session.commit()
    return gql.token_for(admin)


async def _names(hub: Hub, query: str, search: str, token: str) -> list[str]:
    answer = await hub.ask(query, {"q": search}, token)
    assert answer.status == 200, answer.body
    body = dict(answer.body)
    root = dict(dict(body["data"])[query.split("{")[1].split("(")[0].strip()])
    return [dict(dict(edge)["node"])["name"] for edge in root["edges"]]


@pytest.mark.parametrize(
    ("search", "found"),
    [
        ("alvarez", ["Pedro Alvarez", "Rosa Álvarez"]),
        ("ÁLVAREZ", ["Pedro Alvarez", "Rosa Álvarez"]),
        ("Álvarez", ["Pedro Alvarez", "Rosa Álvarez"]),
        ("munoz", ["Ana Munoz", "Luis Muñoz"]),
        ("muñoz", ["Ana Munoz", "Luis Muñoz"]),
        ("ma go", ["María González"]),
        ("mar gon", ["María González"]),
        ("GON ma", ["María González"]),
        ("ma xo", []),
        ("%", []),
    ],
)
async def test_people_are_found_whatever_the_accents_and_case(
    admin_token, compiled_hub: Hub, normal_hub: Hub, dialect: str, search, found
):
    compiled = await _names(compiled_hub, PEOPLE, search, admin_token)
    normal = await _names(normal_hub, PEOPLE, search, admin_token)

    assert normal == found
    assert compiled == normal


@pytest.mark.parametrize(
    ("search", "found"),
    [
        ("alvarez", ["Alvarez Labor", "Unión Álvarez"]),
        ("ÁLVAREZ", ["Alvarez Labor", "Unión Álvarez"]),
        ("union alv", ["Unión Álvarez"]),
        ("munoz", ["Casa Muñoz"]),
        ("MUÑOZ", ["Casa Muñoz"]),
    ],
)
async def test_organizations_are_found_whatever_the_accents_and_case(
    admin_token, compiled_hub: Hub, normal_hub: Hub, search, found
):
    compiled = await _names(compiled_hub, ORGANIZATIONS, search, admin_token)
    normal = await _names(normal_hub, ORGANIZATIONS, search, admin_token)

    assert normal == found
    assert compiled == normal


async def test_the_compiled_path_answers_the_search_in_one_statement(
    admin_token, compiled_hub: Hub
):
    answer = await compiled_hub.ask(PEOPLE, {"q": "ÁLVAREZ"}, admin_token)

    assert answer.compiled

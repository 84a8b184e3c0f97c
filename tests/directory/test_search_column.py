"""The folded search column is kept by the models whatever way a row is written: ORM objects
(new or changed), Core inserts of one row or many, ORM bulk inserts. (The importer writes in
bulk; nothing it does can forget the column.)"""

from __future__ import annotations

from sqlalchemy import insert, select

from hub.infrastructure.models import Organization, Person
from hub.infrastructure.models.directory import OrganizationKind
from tests.factories import create_person


async def _folded(session, model) -> list[str]:
    return list(await session.scalars(select(model.search_text).order_by(model.id)))


async def test_every_way_of_writing_a_person_keeps_the_folded_name(session):
    changed = await create_person(session, name="Old Name")
    changed.name = "José Núñez"
    await session.flush()
    await session.execute(insert(Person).values(name="ÁNGELA Díaz", email="a@example.org"))
    await session.execute(
        insert(Person),
        [
            {"name": "Łukasz Straße", "email": "l@example.org"},
            {"name": "Zoë Ÿ", "email": "z@example.org"},
        ],
    )
    await session.execute(
        insert(Person).values(
            [
                {"name": "Çelik", "email": "c@example.org"},
                {"name": "Ödön", "email": "o@example.org"},
            ]
        )
    )

    assert await _folded(session, Person) == [
        "jose nunez",
        "angela diaz",
        "łukasz strasse",
        "zoe y",
        "celik",
        "odon",
    ]


async def test_every_way_of_writing_an_organization_keeps_the_folded_name(session):
    session.add(Organization(slug="a", name="Unión", kind=OrganizationKind.MEMBER, counties=[]))
    await session.flush()
    await session.execute(
        insert(Organization),
        [{"slug": "b", "name": "MUÑOZ Labor", "kind": OrganizationKind.ALLY, "counties": []}],
    )

    assert await _folded(session, Organization) == ["union", "munoz labor"]

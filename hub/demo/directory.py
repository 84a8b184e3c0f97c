"""Loads the demo alliance's organizations, people and affiliations."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from slugify import slugify
from sqlalchemy.ext.asyncio import AsyncSession

from hub.demo import directory_data as data
from hub.infrastructure.models import Affiliation, Organization, Person
from hub.infrastructure.models.directory import (
    AffiliationRole,
    AnchorRole,
    Language,
    OrganizationKind,
    Sector,
)

ADMIN_EMAIL = "staff@example.org"


@dataclass
class DemoDirectory:
    organizations: dict[str, Organization] = field(default_factory=dict)
    people_by_org: dict[str, list[Person]] = field(default_factory=dict)
    admin: Person | None = None


def _organizations() -> list[Organization]:
    found = [
        Organization(
            slug=slugify(name, max_length=80),
            name=name,
            kind=OrganizationKind.MEMBER,
            anchor_role=AnchorRole(anchor) if anchor else None,
            sector=Sector.COMMUNITY_ORGANIZING,
            region=region,
            counties=counties,
            description="",
        )
        for name, anchor, region, counties in data.MEMBERS
    ]
    found += [
        Organization(
            slug=slugify(name, max_length=80),
            name=name,
            kind=OrganizationKind(kind),
            sector=Sector(sector),
            region="Statewide",
            counties=[],
            description="",
        )
        for name, kind, sector in data.PARTNERS
    ]
    found += [
        Organization(
            slug=slugify(name, max_length=80),
            name=name,
            kind=OrganizationKind.PEER,
            sector=Sector.COMMUNITY_ORGANIZING,
            state=state,
            counties=[],
            description="A state-based effort in the national Power Caucus.",
        )
        for name, state in data.PEERS
    ]
    return found


def _person(rng: random.Random, used: set[str]) -> Person:
    while True:
        first, last = rng.choice(data.FIRST_NAMES), rng.choice(data.LAST_NAMES)
        local = slugify(f"{first} {last}", separator=".")
        if local not in used:
            used.add(local)
            spanish = any(ch in first + last for ch in "áéíóúñ") or rng.random() < 0.25
            return Person(
                name=f"{first} {last}",
                email=f"{local}@example.org",
                phone=f"+1 213 555 {rng.randint(1000, 9999)}",
                preferred_language=Language.ES if spanish else Language.EN,
            )


async def load_directory(session: AsyncSession) -> DemoDirectory:
    rng = random.Random(2011)
    demo = DemoDirectory()
    used: set[str] = set()
    for organization in _organizations():
        session.add(organization)
        demo.organizations[organization.slug] = organization
    await session.flush()
    for slug, organization in demo.organizations.items():
        people = [_person(rng, used) for _ in range(rng.randint(2, 4))]
        session.add_all(people)
        await session.flush()
        for index, person in enumerate(people):
            role = (
                AffiliationRole.CONTACT
                if index == 0
                else rng.choice(
                    [AffiliationRole.STAFF, AffiliationRole.LEADER, AffiliationRole.MEMBER]
                )
            )
            session.add(
                Affiliation(
                    person_id=person.id,
                    organization_id=organization.id,
                    role=role,
                    title=rng.choice(data.TITLES) if index < 2 else None,
                )
            )
        demo.people_by_org[slug] = people
    demo.admin = Person(
        name="Alicia Ramírez-Staff",
        email=ADMIN_EMAIL,
        is_admin=True,
        preferred_language=Language.EN,
    )
    session.add(demo.admin)
    await session.flush()
    return demo

"""Factories: `create_x(session, **overrides)` adds a valid row and flushes it."""

from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hub.models import Affiliation, Organization, Person
from hub.models.directory import AffiliationRole, OrganizationKind, Sector

_sequence = itertools.count(1)


async def create_organization(session: AsyncSession, **overrides: Any) -> Organization:
    n = next(_sequence)
    values: dict[str, Any] = {
        "slug": f"org-{n}",
        "name": f"Organization {n:04d}",
        "kind": OrganizationKind.MEMBER,
        "sector": Sector.COMMUNITY_ORGANIZING,
        "counties": [],
        "description": "",
    }
    values.update(overrides)
    organization = Organization(**values)
    session.add(organization)
    await session.flush()
    return organization


async def create_person(session: AsyncSession, **overrides: Any) -> Person:
    n = next(_sequence)
    values: dict[str, Any] = {"name": f"Person {n:04d}", "email": f"person{n}@example.org"}
    values.update(overrides)
    person = Person(**values)
    session.add(person)
    await session.flush()
    return person


async def create_admin(session: AsyncSession, **overrides: Any) -> Person:
    return await create_person(session, is_admin=True, **overrides)


async def affiliate(
    session: AsyncSession,
    person: Person,
    organization: Organization,
    role: AffiliationRole = AffiliationRole.MEMBER,
    **overrides: Any,
) -> Affiliation:
    affiliation = Affiliation(
        person_id=person.id, organization_id=organization.id, role=role, **overrides
    )
    session.add(affiliation)
    await session.flush()
    return affiliation

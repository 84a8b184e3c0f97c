"""Factories: `create_x(session, **overrides)` adds a valid row and flushes it."""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hub.access.auth.personal_tokens import SCOPE_CHOICES, make_personal_token
from hub.infrastructure.models import Affiliation, Organization, Person
from hub.infrastructure.models.base import utcnow
from hub.infrastructure.models.directory import AffiliationRole, OrganizationKind, Sector

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


async def create_personal_token(
    session: AsyncSession, person: Person, *, scopes: frozenset[str] | None = None
) -> str:
    """A personal access token of the person's (read and write unless told), valid for a day:
    the bearer a person's scripts use, which a hub accepts in every configuration."""
    now = utcnow()
    made = await make_personal_token(
        session,
        person_id=person.id,
        name=f"test token {next(_sequence)}",
        scopes=scopes or SCOPE_CHOICES[-1],
        expires_at=now + timedelta(days=1),
        now=now,
    )
    return made.secret

"""Factories for convenings and RSVPs: `create_x(session, **overrides)` adds a valid row."""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from hub.infrastructure.models import (
    Convening,
    ConveningHost,
    ConveningSeries,
    Organization,
    Person,
    Rsvp,
)
from hub.infrastructure.models.base import utcnow
from hub.infrastructure.models.convenings import ConveningKind, RsvpStatus, Visibility
from hub.infrastructure.models.directory import AffiliationRole
from tests.factories import affiliate, create_organization, create_person

_sequence = itertools.count(1)


async def create_series(session: AsyncSession, **overrides: Any) -> ConveningSeries:
    n = next(_sequence)
    values: dict[str, Any] = {"slug": f"series-{n}", "name": f"Series {n}"}
    values.update(overrides)
    series = ConveningSeries(**values)
    session.add(series)
    await session.flush()
    return series


async def create_convening(
    session: AsyncSession, hosts: list[Organization] | None = None, **overrides: Any
) -> Convening:
    """A MEMBERS strategy session a week from now, hosted by `hosts` (a new org if none)."""
    n = next(_sequence)
    starts_at = overrides.pop("starts_at", utcnow().replace(microsecond=0) + timedelta(days=7))
    values: dict[str, Any] = {
        "title": f"Convening {n:04d}",
        "kind": ConveningKind.STRATEGY_SESSION,
        "description": "",
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=3),
        "time_zone": "America/Los_Angeles",
        "venue_name": "Community hall",
        "languages": ["es"],
        "visibility": Visibility.MEMBERS,
        "going_count": 0,
        "sequence": 0,
    }
    values.update(overrides)
    convening = Convening(**values)
    session.add(convening)
    await session.flush()
    for host in hosts if hosts is not None else [await create_organization(session)]:
        session.add(ConveningHost(convening_id=convening.id, organization_id=host.id))
    await session.flush()
    return convening


async def create_rsvp(
    session: AsyncSession,
    convening: Convening,
    person: Person,
    status: RsvpStatus = RsvpStatus.GOING,
    **overrides: Any,
) -> Rsvp:
    """An RSVP written directly, keeping the convening's going_count in step."""
    values: dict[str, Any] = {
        "convening_id": convening.id,
        "person_id": person.id,
        "status": status,
        "accessibility": [],
        "accessibility_note": "",
        "childcare_count": 0,
        "dietary": "",
    }
    values.update(overrides)
    rsvp = Rsvp(**values)
    session.add(rsvp)
    if status == RsvpStatus.GOING:
        # In SQL, as the hub does: the convening may have been made in another session, where
        # changing the object would store nothing (an attached one is updated in step).
        await session.execute(
            update(Convening)
            .where(Convening.id == convening.id)
            .values(going_count=Convening.going_count + 1)
        )
    await session.flush()
    return rsvp


async def create_member(
    session: AsyncSession,
    organization: Organization | None = None,
    role: AffiliationRole = AffiliationRole.MEMBER,
    **overrides: Any,
) -> Person:
    """A person affiliated with `organization` (a new one if none)."""
    person = await create_person(session, **overrides)
    await affiliate(session, person, organization or await create_organization(session), role)
    return person


async def create_contact(session: AsyncSession, organization: Organization) -> Person:
    return await create_member(session, organization, AffiliationRole.CONTACT)


async def create_waitlist(session: AsyncSession, convening: Convening, count: int) -> list[Person]:
    """`count` new members waiting in line for the convening, in positions 1..count."""
    waiting = [await create_member(session) for _ in range(count)]
    for position, person in enumerate(waiting, start=1):
        await create_rsvp(
            session, convening, person, RsvpStatus.WAITLISTED, waitlist_position=position
        )
    return waiting

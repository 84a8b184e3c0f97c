"""`hub demo`: a believable alliance to explore, drawn from the seed documents."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.demo.convenings import load_convenings
from hub.demo.directory import load_directory
from hub.demo.governance import load_governance
from hub.infrastructure.models import Organization, Person


class DemoAlreadyLoaded(Exception):
    pass


async def load_demo(session: AsyncSession) -> str:
    """Loads every domain's demo data into an empty database; returns a one-line summary."""
    if await session.scalar(select(func.count()).select_from(Organization)):
        raise DemoAlreadyLoaded()
    directory = await load_directory(session)
    convenings = await load_convenings(session, directory)
    governance = await load_governance(session, directory, convenings)
    people = await session.scalar(select(func.count()).select_from(Person))
    admin = directory.admin.email if directory.admin else "-"
    return (
        f"{len(directory.organizations)} organizations, {people} people, "
        f"{convenings.summary()}, {governance}; admin {admin}"
    )

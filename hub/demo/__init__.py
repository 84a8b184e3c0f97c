"""`hub demo`: a believable alliance to explore, drawn from the seed documents."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.demo.directory import load_directory
from hub.models import Organization, Person


class DemoAlreadyLoaded(Exception):
    pass


async def load_demo(session: AsyncSession) -> str:
    """Loads every domain's demo data into an empty database; returns a one-line summary."""
    if await session.scalar(select(func.count()).select_from(Organization)):
        raise DemoAlreadyLoaded()
    directory = await load_directory(session)
    people = await session.scalar(select(func.count()).select_from(Person))
    parts = [f"{len(directory.organizations)} organizations", f"{people} people"]
    return ", ".join(parts) + f"; admin {directory.admin.email if directory.admin else '-'}"

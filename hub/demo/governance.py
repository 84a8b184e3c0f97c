"""Demo committee seats and proposals (to be written by the governance work)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from hub.demo.convenings import DemoConvenings
from hub.demo.directory import DemoDirectory


async def load_governance(
    session: AsyncSession, directory: DemoDirectory, convenings: DemoConvenings
) -> str:
    """Loads seats and proposals; returns a summary such as "31 seats, 3 proposals"."""
    return "0 seats, 0 proposals"

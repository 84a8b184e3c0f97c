"""Demo convenings and RSVPs (to be written by the convenings work)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from hub.demo.directory import DemoDirectory
from hub.models import Convening


@dataclass
class DemoConvenings:
    by_key: dict[str, Convening] = field(default_factory=dict)

    def summary(self) -> str:
        return f"{len(self.by_key)} convenings"


async def load_convenings(session: AsyncSession, directory: DemoDirectory) -> DemoConvenings:
    return DemoConvenings()

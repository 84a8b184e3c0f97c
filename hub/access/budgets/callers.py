"""Who a budget belongs to: clients by client id, people by person, strangers by address."""

from __future__ import annotations

from dataclasses import dataclass

from hub.access.auth.viewer import Viewer
from hub.infrastructure.config import Settings


@dataclass(frozen=True)
class Caller:
    key: str
    limit: int
    window_seconds: int

    def could_ever_afford(self, cost: int) -> bool:
        """False for a query costlier than a whole window's points: waiting cannot help."""
        return cost <= self.limit


def caller_of(viewer: Viewer, address: str | None, settings: Settings) -> Caller:
    if viewer.client_id is not None:
        key, limit = f"client:{viewer.client_id}", settings.budget_points
    elif viewer.person_id is not None:
        key, limit = f"person:{viewer.person_id}", settings.budget_points
    else:
        key, limit = f"address:{address or 'unknown'}", settings.budget_anonymous_points
    return Caller(key=key, limit=limit, window_seconds=settings.budget_window_seconds)

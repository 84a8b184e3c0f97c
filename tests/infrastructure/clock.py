"""A clock that runs with real time, and that the test moves forward by hand, for retries,
leases and reminders."""

from __future__ import annotations

from datetime import datetime, timedelta

from hub.infrastructure.models.base import utcnow


class Clock:
    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return utcnow() + self.offset

    def advance(self, delta: timedelta) -> None:
        self.offset += delta

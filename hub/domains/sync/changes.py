"""Keeping `updated_at` honest: it must rise on every change a poller can see, including
changes made to other rows that show on this one (a convening's RSVP counts)."""

from __future__ import annotations

from hub.infrastructure.models.base import Timestamped, utcnow


def touch(row: Timestamped) -> None:
    """Marks the row changed now, so `updatedSince` lists it again."""
    row.updated_at = utcnow()

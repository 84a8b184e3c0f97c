"""The facts about a convening that a calendar entry or an email tells, detached from the
database so that an outbox message can carry them as they were at the change."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from hub.infrastructure.models import Convening


@dataclass(frozen=True)
class ConveningFacts:
    id: int
    title: str
    description: str
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    venue_name: str | None
    venue_address: str | None
    virtual_url: str | None
    status: str
    sequence: int

    @classmethod
    def from_model(cls, convening: Convening) -> ConveningFacts:
        return cls(
            id=convening.id,
            title=convening.title,
            description=convening.description or "",
            starts_at=convening.starts_at,
            ends_at=convening.ends_at,
            time_zone=convening.time_zone,
            venue_name=convening.venue_name,
            venue_address=convening.venue_address,
            virtual_url=convening.virtual_url,
            status=str(convening.status),
            sequence=convening.sequence,
        )

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def local_start(self) -> datetime:
        return self.starts_at.astimezone(self.zone)

    @property
    def local_end(self) -> datetime:
        return self.ends_at.astimezone(self.zone)

    @property
    def is_cancelled(self) -> bool:
        return self.status == "CANCELLED"

    @property
    def place(self) -> str | None:
        """The venue as one line, or the virtual link when there is no venue."""
        venue = ", ".join(part for part in (self.venue_name, self.venue_address) if part)
        return venue or self.virtual_url

    def to_json(self) -> dict[str, Any]:
        plain = asdict(self)
        plain["starts_at"] = self.starts_at.isoformat()
        plain["ends_at"] = self.ends_at.isoformat()
        return plain

    @classmethod
    def from_json(cls, plain: dict[str, Any]) -> ConveningFacts:
        values = dict(plain)
        values["starts_at"] = datetime.fromisoformat(plain["starts_at"])
        values["ends_at"] = datetime.fromisoformat(plain["ends_at"])
        return cls(**values)


@dataclass(frozen=True)
class Attendee:
    """The person an invitation is for, with how they answered (an iCalendar PARTSTAT)."""

    email: str
    name: str
    partstat: str = "ACCEPTED"

"""The GraphQL documents the convenings' tests send, and a fresh look at what was stored."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from hub.infrastructure.models import Convening, Rsvp
from hub.interfaces.graphql.node import to_global_id
from hub.interfaces.runtime import Runtime

RSVP = """
mutation ($input: RsvpInput!) {
  rsvp(input: $input) {
    rsvp { id status waitlistPosition person { name } organization { name }
           needs { interpretationLanguage accessibility accessibilityNote childcareCount dietary } }
    errors { field code message }
  }
}
"""

CANCEL_RSVP = """
mutation ($id: ID!) {
  cancelRsvp(input: {rsvpId: $id}) {
    rsvp { id status waitlistPosition }
    errors { field code message }
  }
}
"""


def gid(type_name: str, pk: int) -> str:
    return str(to_global_id(type_name, pk))


@dataclass(frozen=True)
class Stored:
    going_count: int
    sequence: int
    rsvps: list[tuple[int, str, int | None]]  # (person id, status, waitlist position)

    @property
    def waitlist(self) -> list[tuple[int, int | None]]:
        found = [(pos, person) for person, status, pos in self.rsvps if status == "WAITLISTED"]
        return [(person, pos) for pos, person in sorted(found, key=lambda pair: pair[0] or 0)]

    def status_of(self, person_id: int) -> str | None:
        return next((s for p, s, _ in self.rsvps if p == person_id), None)


async def stored(runtime: Runtime, convening_id: int) -> Stored:
    """What the database holds now, read in a session of its own."""
    async with runtime.sessions() as session:
        convening = await session.get_one(Convening, convening_id)
        rows = await session.scalars(
            select(Rsvp).where(Rsvp.convening_id == convening_id).order_by(Rsvp.person_id)
        )
        return Stored(
            going_count=convening.going_count,
            sequence=convening.sequence,
            rsvps=[(r.person_id, r.status.value, r.waitlist_position) for r in rows],
        )


def rsvp_input(convening: Convening, status: str = "GOING", **fields: object) -> dict[str, object]:
    return {"input": {"conveningId": gid("Convening", convening.id), "status": status, **fields}}


def convening_input(host_id: int, **fields: object) -> dict[str, object]:
    """A valid CreateConveningInput hosted by the organization, with these fields changed."""
    values: dict[str, object] = {
        "title": "Collaborative Strategy Session",
        "kind": "STRATEGY_SESSION",
        "startsAt": "2031-01-27T09:00:00",
        "endsAt": "2031-01-27T15:00:00",
        "timeZone": "America/Los_Angeles",
        "hostIds": [gid("Organization", host_id)],
        "venueName": "SCOPE, South LA",
    }
    values.update(fields)
    return {"input": values}

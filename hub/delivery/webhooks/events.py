"""The events a client may subscribe to, and what each delivery says: only the public facts of
the object (what a peer:read client reads of it through the API)."""

from __future__ import annotations

import enum
from typing import Any
from zoneinfo import ZoneInfo

from hub.common.ids import global_id
from hub.infrastructure.models import Convening, Proposal


class EventType(enum.StrEnum):
    CONVENING_CREATED = "convening.created"
    CONVENING_UPDATED = "convening.updated"
    CONVENING_CANCELLED = "convening.cancelled"
    CONVENING_RSVP_COUNTS_CHANGED = "convening.rsvp_counts_changed"
    PROPOSAL_ADOPTED = "proposal.adopted"
    PROPOSAL_REJECTED = "proposal.rejected"


def convening_data(convening: Convening) -> dict[str, Any]:
    """Times in ISO 8601 with the convening's own offset, beside its zone's name, as the API's
    `startsAt` gives them: the same whether the row was just written (times as given) or read
    back (times in UTC)."""
    zone = ZoneInfo(convening.time_zone)
    return {
        "id": global_id("Convening", convening.id),
        "title": convening.title,
        "kind": str(convening.kind),
        "status": str(convening.status),
        "startsAt": convening.starts_at.astimezone(zone).isoformat(),
        "endsAt": convening.ends_at.astimezone(zone).isoformat(),
        "timeZone": convening.time_zone,
        "sequence": convening.sequence,
    }


def proposal_data(proposal: Proposal) -> dict[str, Any]:
    return {
        "id": global_id("Proposal", proposal.id),
        "title": proposal.title,
        "status": str(proposal.status),
        "closedAt": proposal.closed_at.isoformat() if proposal.closed_at else None,
    }

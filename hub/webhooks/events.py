"""The events a client may subscribe to, and what each delivery says: only the public facts of
the object (what a peer:read client reads of it through the API)."""

from __future__ import annotations

import enum
from typing import Any

from hub.models import Convening, Proposal
from hub.sync.tombstones import global_id


class EventType(enum.StrEnum):
    CONVENING_CREATED = "convening.created"
    CONVENING_UPDATED = "convening.updated"
    CONVENING_CANCELLED = "convening.cancelled"
    CONVENING_RSVP_COUNTS_CHANGED = "convening.rsvp_counts_changed"
    PROPOSAL_ADOPTED = "proposal.adopted"
    PROPOSAL_REJECTED = "proposal.rejected"


def convening_data(convening: Convening) -> dict[str, Any]:
    return {
        "id": global_id("Convening", convening.id),
        "title": convening.title,
        "kind": str(convening.kind),
        "status": str(convening.status),
        "startsAt": convening.starts_at.isoformat(),
        "endsAt": convening.ends_at.isoformat(),
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

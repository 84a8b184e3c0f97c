"""What an outbox email carries: the facts as they were at the change that caused it. Written
by hub/delivery/notifications and hub/delivery/reminders, read back by `compose` when the worker
delivers."""

from __future__ import annotations

from typing import Any

from hub.delivery.calendar.documents import Method
from hub.delivery.calendar.facts import ConveningFacts
from hub.infrastructure.models import Proposal


def convening_payload(
    recipient_name: str,
    facts: ConveningFacts,
    *,
    invite: Method | None = None,
    partstat: str = "ACCEPTED",
    rsvp_status: str | None = None,
    waitlist_position: int | None = None,
) -> dict[str, Any]:
    return {
        "recipient_name": recipient_name,
        "convening": facts.to_json(),
        "invite": str(invite) if invite else None,
        "partstat": partstat,
        "rsvp_status": rsvp_status,
        "waitlist_position": waitlist_position,
    }


def proposal_payload(recipient_name: str, proposal: Proposal) -> dict[str, Any]:
    closes = proposal.voting_closes_at
    return {
        "recipient_name": recipient_name,
        "proposal": {
            "id": proposal.id,
            "title": proposal.title,
            "summary": proposal.summary or "",
            # Markdown: the text part carries it as written, the HTML part rendered.
            "body": proposal.body or "",
            "status": str(proposal.status),
            "voting_closes_at": closes.isoformat() if closes else None,
            "result": dict(proposal.result or {}),
        },
    }

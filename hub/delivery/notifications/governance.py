"""Messages caused by the Coordinating Committee's votes. Called by hub/domains/governance services,
inside the same transaction as the change: each writes its emails to the outbox, to the
holder and the alternate of every seat eligible to vote."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from hub.delivery.email.enqueue import enqueue_email
from hub.delivery.email.kinds import MessageKind
from hub.delivery.email.payloads import proposal_payload
from hub.delivery.notifications.recipients import seat_people
from hub.delivery.webhooks import emit as webhooks
from hub.delivery.webhooks.events import EventType
from hub.infrastructure.models import Proposal
from hub.infrastructure.models.governance import ProposalStatus

OUTCOME_EVENTS = {
    ProposalStatus.ADOPTED: EventType.PROPOSAL_ADOPTED,
    ProposalStatus.REJECTED: EventType.PROPOSAL_REJECTED,
}


async def voting_opened(session: AsyncSession, proposal: Proposal) -> None:
    """Voting opened on a proposal; its eligible seats are fixed. The seats hear of it when
    votes are first taken (a later start waits in the outbox until then)."""
    await _tell_seats(
        session, proposal, MessageKind.VOTING_OPENED, not_before=proposal.voting_opened_at
    )


async def result_recorded(session: AsyncSession, proposal: Proposal) -> None:
    """Voting closed and the proposal's outcome was stored; subscribed clients hear of it."""
    await _tell_seats(session, proposal, MessageKind.VOTING_RESULT)
    outcome = OUTCOME_EVENTS.get(proposal.status)
    if outcome is not None:
        await webhooks.proposal_event(session, outcome, proposal)


async def _tell_seats(
    session: AsyncSession,
    proposal: Proposal,
    kind: MessageKind,
    *,
    not_before: datetime | None = None,
) -> None:
    await session.flush()
    for person, seat_id in await seat_people(session, proposal.id):
        await enqueue_email(
            session,
            person,
            kind=kind,
            dedupe_key=f"{kind}:{proposal.id}:{seat_id}:{person.id}",
            payload=proposal_payload(person.name, proposal),
            not_before=not_before,
        )

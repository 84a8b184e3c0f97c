"""A day before a convening, to everyone GOING; a day before a voting window closes, to the
holder and alternate of each eligible seat that has not voted yet; and the committee's
agendas and follow-up actions coming due (hub/delivery/reminders/committee)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.delivery.calendar.facts import ConveningFacts
from hub.delivery.email.enqueue import enqueue_email
from hub.delivery.email.kinds import MessageKind
from hub.delivery.email.payloads import convening_payload, proposal_payload
from hub.delivery.notifications.recipients import may_be_told, seat_people
from hub.delivery.reminders.committee import remind_actions_due, send_agendas
from hub.infrastructure.config import DEFAULT_TIME_ZONE
from hub.infrastructure.models import Convening, Person, Proposal, Rsvp
from hub.infrastructure.models.convenings import ConveningStatus, RsvpStatus
from hub.infrastructure.models.governance import ProposalStatus

LEAD_TIME = timedelta(hours=24)


@dataclass(frozen=True)
class RemindersQueued:
    convenings: int
    votes: int
    agendas: int = 0
    actions_due: int = 0


async def enqueue_due_reminders(
    session: AsyncSession, *, now: datetime, time_zone: str = DEFAULT_TIME_ZONE
) -> RemindersQueued:
    """`time_zone` is the committee's (HUB_TIME_ZONE): it says which day is today."""
    return RemindersQueued(
        convenings=await remind_convenings(session, now=now),
        votes=await remind_votes(session, now=now),
        agendas=await send_agendas(session, now=now),
        actions_due=await remind_actions_due(session, now=now, time_zone=time_zone),
    )


async def remind_convenings(session: AsyncSession, *, now: datetime) -> int:
    """Reminds the people GOING to convenings that start within a day (those who may still see
    them); returns how many reminders were new."""
    statement = (
        select(Person, Convening)
        .join(Rsvp, Rsvp.person_id == Person.id)
        .join(Convening, Convening.id == Rsvp.convening_id)
        .where(
            Convening.status == ConveningStatus.SCHEDULED,
            Convening.starts_at > now,
            Convening.starts_at <= now + LEAD_TIME,
            Rsvp.status == RsvpStatus.GOING,
        )
        .order_by(Convening.id, Rsvp.id)
    )
    queued = 0
    for person, convening in (await session.execute(statement)).all():
        if not await may_be_told(session, convening.id, person.id):
            continue
        queued += await enqueue_email(
            session,
            person,
            kind=MessageKind.CONVENING_REMINDER,
            dedupe_key=f"convening-reminder:{convening.id}:{person.id}",
            payload=convening_payload(person.name, ConveningFacts.from_model(convening)),
        )
    return queued


async def remind_votes(session: AsyncSession, *, now: datetime) -> int:
    """Reminds the seats that have not voted on proposals whose window closes within a day."""
    closing = await session.scalars(
        select(Proposal)
        .where(
            Proposal.status == ProposalStatus.VOTING,
            Proposal.voting_closes_at > now,
            Proposal.voting_closes_at <= now + LEAD_TIME,
        )
        .order_by(Proposal.id)
    )
    queued = 0
    for proposal in closing.all():
        for person, seat_id in await seat_people(session, proposal.id, only_unvoted=True):
            queued += await enqueue_email(
                session,
                person,
                kind=MessageKind.VOTING_REMINDER,
                dedupe_key=f"voting-reminder:{proposal.id}:{seat_id}:{person.id}",
                payload=proposal_payload(person.name, proposal),
            )
    return queued

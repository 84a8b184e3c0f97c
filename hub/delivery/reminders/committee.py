"""The committee's notices the worker sends when they fall due, each once whichever worker
finds it first (the outbox's unique key per kind, subject and recipient):

- A meeting's agenda, to the holder and alternate of every held seat, once the meeting is a
  week away, or on the first pass after its agenda is set when that is later. It lists the
  agenda as it stood then, and the OPEN follow-up actions due by the meeting's day (in the
  meeting's own zone, as its page counts them). A later change to the agenda is not mailed
  again: the meeting's page shows the agenda as it is, and a second notice for every edit
  would teach people to skim the first.
- A follow-up action coming due within a week, to its organization's contacts, once per due
  date: a new due date is a new reminder.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.access.permissions.governance import DECIDED_STATUSES
from hub.delivery.email.enqueue import enqueue_email
from hub.delivery.email.kinds import MessageKind
from hub.delivery.notifications.committee import meeting_facts
from hub.infrastructure.models import (
    Affiliation,
    AgendaItem,
    CommitteeSeat,
    Convening,
    FollowUpAction,
    Organization,
    Person,
    Proposal,
)
from hub.infrastructure.models.convenings import ConveningKind, ConveningStatus
from hub.infrastructure.models.directory import AffiliationRole
from hub.infrastructure.models.register import ActionStatus

AGENDA_LEAD = timedelta(days=7)
ACTION_DUE_LEAD = timedelta(days=7)


async def send_agendas(session: AsyncSession, *, now: datetime) -> int:
    """Mails the agenda of each scheduled meeting within a week; returns how many were new."""
    has_agenda = exists().where(AgendaItem.convening_id == Convening.id)
    meetings = await session.scalars(
        select(Convening)
        .where(
            Convening.kind == ConveningKind.COMMITTEE_MEETING,
            Convening.status == ConveningStatus.SCHEDULED,
            Convening.starts_at > now,
            Convening.starts_at <= now + AGENDA_LEAD,
            has_agenda,
        )
        .order_by(Convening.starts_at, Convening.id)
    )
    queued = 0
    for meeting in meetings.all():
        notice = await _agenda_notice(session, meeting)
        for person in await seated_people(session):
            queued += await enqueue_email(
                session,
                person,
                kind=MessageKind.COMMITTEE_AGENDA,
                dedupe_key=f"committee-agenda:{meeting.id}:{person.id}",
                payload={"recipient_name": person.name, **notice},
            )
    return queued


async def seated_people(session: AsyncSession) -> list[Person]:
    """The holders and alternates of the held seats, each once."""
    seat_person = or_(CommitteeSeat.holder_id == Person.id, CommitteeSeat.alternate_id == Person.id)
    statement = (
        select(Person)
        .join(CommitteeSeat, seat_person)
        .where(CommitteeSeat.active, CommitteeSeat.holder_id.is_not(None))
        .distinct()
        .order_by(Person.id)
    )
    return list(await session.scalars(statement))


async def _agenda_notice(session: AsyncSession, meeting: Convening) -> dict[str, Any]:
    items = await session.execute(
        select(Proposal.id, Proposal.title)
        .join(AgendaItem, AgendaItem.proposal_id == Proposal.id)
        .where(AgendaItem.convening_id == meeting.id)
        .order_by(AgendaItem.position)
    )
    meeting_day = meeting.starts_at.astimezone(ZoneInfo(meeting.time_zone)).date()
    actions = await _open_actions(session, FollowUpAction.due_on <= meeting_day)
    return {
        "meeting": meeting_facts(meeting),
        "agenda": [{"id": pk, "title": title} for pk, title in items.all()],
        "actions": [facts for _, facts in actions],
    }


async def remind_actions_due(session: AsyncSession, *, now: datetime, time_zone: str) -> int:
    """Reminds the contacts of each organization owning an OPEN action due from today (in the
    committee's zone) to a week ahead; returns how many reminders were new."""
    today = now.astimezone(ZoneInfo(time_zone)).date()
    window = FollowUpAction.due_on.between(today, today + ACTION_DUE_LEAD)
    queued = 0
    for action, facts in await _open_actions(session, window):
        for person in await _contacts(session, action.organization_id):
            queued += await enqueue_email(
                session,
                person,
                kind=MessageKind.COMMITTEE_ACTION_DUE,
                dedupe_key=f"action-due:{action.id}:{person.id}:{action.due_on}",
                payload={"recipient_name": person.name, "action": facts},
            )
    return queued


async def _open_actions(
    session: AsyncSession, due: Any
) -> list[tuple[FollowUpAction, dict[str, Any]]]:
    """OPEN actions of decided proposals due as `due` says, the most overdue first, each with
    what its notices say of it (never its notes, which are for members and admins)."""
    statement = (
        select(FollowUpAction, Organization.name, Proposal.id, Proposal.title)
        .join(Organization, Organization.id == FollowUpAction.organization_id)
        .join(Proposal, Proposal.id == FollowUpAction.proposal_id)
        .where(
            FollowUpAction.status == ActionStatus.OPEN,
            FollowUpAction.due_on.is_not(None),
            due,
            Proposal.closed_at.is_not(None),
            Proposal.status.in_(DECIDED_STATUSES),
        )
        .order_by(FollowUpAction.due_on, FollowUpAction.id)
    )
    return [
        (action, _action_facts(action, organization, proposal_id, title))
        for action, organization, proposal_id, title in (await session.execute(statement)).all()
    ]


def _action_facts(
    action: FollowUpAction, organization: str, proposal_id: int, title: str
) -> dict[str, Any]:
    due_on: date | None = action.due_on
    return {
        "id": action.id,
        "what": action.what,
        "organization": organization,
        "due_on": due_on.isoformat() if due_on else None,
        "proposal": {"id": proposal_id, "title": title},
    }


async def _contacts(session: AsyncSession, organization_id: int) -> list[Person]:
    statement = (
        select(Person)
        .join(Affiliation, Affiliation.person_id == Person.id)
        .where(
            Affiliation.organization_id == organization_id,
            Affiliation.role == AffiliationRole.CONTACT,
        )
        .order_by(Person.id)
    )
    return list(await session.scalars(statement))

"""Committee meetings: a COMMITTEE_MEETING convening with an agenda of proposals, the seats
present (their holder or alternate checked in) and those represented by a proxy.

A seat is represented at a meeting when it gave an unrevoked proxy for the meeting (or, for
one vote, for that proposal) to a holder who is checked in: a proxy carried by someone absent
brings nobody into the room. A vote taken in a meeting fixes its eligible seats, and so its
quorum, to the seats present or represented when voting opens (see voting.open_voting)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Exists, Select, SQLColumnExpression, delete, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.access.auth.viewer import Viewer
from hub.access.permissions import governance as rules
from hub.common.errors import InputError
from hub.domains.convenings import lookup
from hub.domains.governance.errors import GovernanceErrorCode as Code
from hub.domains.governance.events import record_event
from hub.infrastructure.models import AgendaItem, CommitteeSeat, Convening, Proposal, Proxy, Rsvp
from hub.infrastructure.models.convenings import ConveningKind, ConveningStatus
from hub.infrastructure.models.governance import GovernanceAction, ProposalStatus


@dataclass(frozen=True)
class Attendance:
    """Who is in the room now: seats present, seats represented by proxy, of the held seats."""

    present_seat_ids: list[int]
    represented_seat_ids: list[int]
    seats_held: int

    @property
    def seats_in_meeting(self) -> int:
        return len(self.present_seat_ids) + len(self.represented_seat_ids)


def held_seats() -> Select[int]:
    return select(CommitteeSeat.id).where(
        CommitteeSeat.active, CommitteeSeat.holder_id.is_not(None)
    )


def checked_in(convening_id: int, person: SQLColumnExpression[Any]) -> Exists:
    return exists().where(
        Rsvp.convening_id == convening_id,
        Rsvp.person_id == person,
        Rsvp.checked_in_at.is_not(None),
    )


def present_seats(convening_id: int) -> Select[int]:
    """The held seats whose holder or alternate is checked in at the meeting."""
    return held_seats().where(
        or_(
            checked_in(convening_id, CommitteeSeat.holder_id),
            checked_in(convening_id, CommitteeSeat.alternate_id),
        )
    )


def usable_proxies(convening_id: int, proposal_id: int | None = None) -> Select[Proxy]:
    """The unrevoked proxies for the meeting (or for one of its proposals) whose holder is in
    the room."""
    target = Proxy.convening_id == convening_id
    if proposal_id is not None:
        target = or_(target, Proxy.proposal_id == proposal_id)
    return select(Proxy).where(
        Proxy.revoked_at.is_(None),
        target,
        checked_in(convening_id, Proxy.holder_id),
    )


def represented_seats(convening_id: int, proposal_id: int | None = None) -> Select[int]:
    proxied = usable_proxies(convening_id, proposal_id).with_only_columns(Proxy.seat_id)
    return held_seats().where(
        CommitteeSeat.id.in_(proxied), CommitteeSeat.id.not_in(present_seats(convening_id))
    )


async def attendance(
    session: AsyncSession, convening_id: int, proposal_id: int | None = None
) -> Attendance:
    present = await session.scalars(present_seats(convening_id).order_by(CommitteeSeat.id))
    represented = await session.scalars(
        represented_seats(convening_id, proposal_id).order_by(CommitteeSeat.id)
    )
    held = await session.scalars(held_seats())
    return Attendance(list(present), list(represented), len(list(held)))


async def visible_meeting(
    session: AsyncSession, viewer: Viewer, convening_id: int, *, lock: bool = False
) -> Convening:
    """The committee meeting, as the viewer may see it; NOT_A_MEETING for any other convening."""
    statement = lookup.visible_convenings(viewer).where(Convening.id == convening_id)
    if lock:
        statement = statement.with_for_update()
    convening = await session.scalar(statement.execution_options(populate_existing=True))
    if convening is None:
        raise InputError("meetingId", Code.UNKNOWN_CONVENING, "No convening has that id.")
    if convening.kind is not ConveningKind.COMMITTEE_MEETING:
        raise InputError(
            "meetingId", Code.NOT_A_MEETING, "Only a COMMITTEE_MEETING convening has an agenda."
        )
    if convening.status is ConveningStatus.CANCELLED:
        raise InputError("meetingId", Code.NOT_A_MEETING, "This meeting is cancelled.")
    return convening


async def set_agenda(
    session: AsyncSession,
    viewer: Viewer,
    convening_id: int,
    proposal_ids: Sequence[int],
    *,
    now: datetime,
) -> Convening:
    """Replaces the meeting's agenda with these proposals, in this order. Admins only."""
    rules.require_admin(viewer)
    meeting = await visible_meeting(session, viewer, convening_id, lock=True)
    if len(set(proposal_ids)) != len(proposal_ids):
        raise InputError(
            "proposalIds", Code.DUPLICATE_AGENDA_ITEM, "A proposal is on an agenda once."
        )
    found = set(await session.scalars(select(Proposal.id).where(Proposal.id.in_(proposal_ids))))
    if found != set(proposal_ids):
        raise InputError("proposalIds", Code.UNKNOWN_PROPOSAL, "No proposal has that id.")
    await session.execute(delete(AgendaItem).where(AgendaItem.convening_id == meeting.id))
    session.add_all(
        AgendaItem(convening_id=meeting.id, proposal_id=pk, position=n, created_at=now)
        for n, pk in enumerate(proposal_ids, start=1)
    )
    await session.flush()
    for pk in proposal_ids:
        await record_event(
            session,
            GovernanceAction.PROPOSAL_UPDATED,
            now=now,
            actor=viewer,
            proposal_id=pk,
            detail=f"on the agenda of meeting {meeting.id}",
        )
    return meeting


async def agenda(session: AsyncSession, convening_id: int) -> list[AgendaItem]:
    statement = (
        select(AgendaItem)
        .where(AgendaItem.convening_id == convening_id)
        .order_by(AgendaItem.position)
    )
    return list(await session.scalars(statement))


async def require_on_agenda(session: AsyncSession, convening_id: int, proposal_id: int) -> None:
    found = await session.scalar(
        select(AgendaItem.id).where(
            AgendaItem.convening_id == convening_id, AgendaItem.proposal_id == proposal_id
        )
    )
    if found is None:
        raise InputError(
            "meetingId", Code.NOT_ON_AGENDA, "Put the proposal on the meeting's agenda first."
        )


def current_item(items: Sequence[AgendaItem], proposals: dict[int, Proposal]) -> AgendaItem | None:
    """What the room is looking at: the item whose vote opened last in this meeting (open, or
    closed and showing its result); before any vote, the first item still undecided."""
    opened = {
        item.position: opened_at
        for item in items
        if (p := proposals.get(item.proposal_id)) is not None
        and p.meeting_id == item.convening_id
        and (opened_at := p.voting_opened_at) is not None
    }
    if opened:
        latest = max(opened, key=lambda position: opened[position])
        return next(item for item in items if item.position == latest)
    undecided = (ProposalStatus.DRAFT, ProposalStatus.DISCUSSION)
    waiting = [i for i in items if (p := proposals.get(i.proposal_id)) and p.status in undecided]
    return waiting[0] if waiting else (items[0] if items else None)

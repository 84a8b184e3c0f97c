"""Capacity and the waitlist. Every function here runs under the convening's row lock
(`lookup.locked_convening`), which is what makes `going_count` and the positions exact.

Invariants: `going_count` equals the number of GOING RSVPs; waitlist positions run 1..n
without gaps; nobody waits while a place is free.
"""

from __future__ import annotations

from sqlalchemy import ScalarSelect, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from hub.infrastructure.models import Convening, Rsvp
from hub.infrastructure.models.convenings import RsvpStatus


def free_places(convening: Convening) -> int | None:
    """How many more may be GOING; None when the convening has no capacity limit."""
    if convening.capacity is None:
        return None
    return max(convening.capacity - convening.going_count, 0)


def may_be_waiting(convening: Convening) -> bool:
    """Whether anyone may be on the waitlist: only while no place is free (the invariant)."""
    return free_places(convening) == 0


async def take_place(
    session: AsyncSession, convening: Convening, rsvp: Rsvp, last_position: int | None = None
) -> None:
    """Makes the RSVP GOING if a place is free, else puts it at the end of the waitlist
    (behind `last_position` when the caller read it under the lock, else read here).
    Someone already GOING or waiting keeps their place."""
    if rsvp.status in (RsvpStatus.GOING, RsvpStatus.WAITLISTED):
        return
    if free_places(convening) != 0:
        rsvp.status = RsvpStatus.GOING
        rsvp.waitlist_position = None
        convening.going_count += 1
        return
    if last_position is None:
        last_position = await _last_position(session, convening.id)
    rsvp.status = RsvpStatus.WAITLISTED
    rsvp.waitlist_position = last_position + 1


async def admit(session: AsyncSession, convening: Convening, rsvp: Rsvp) -> None:
    """Makes the RSVP GOING whether or not a place is free: the person is in the room (checked
    in at the door). Leaving the waitlist closes its gap."""
    await give_up_place(session, convening, rsvp)
    rsvp.status = RsvpStatus.GOING
    rsvp.waitlist_position = None
    convening.going_count += 1


async def give_up_place(session: AsyncSession, convening: Convening, rsvp: Rsvp) -> None:
    """Frees what the RSVP held (a place or a waitlist position) without promoting anyone."""
    if rsvp.status == RsvpStatus.GOING:
        convening.going_count -= 1
    elif rsvp.status == RsvpStatus.WAITLISTED and rsvp.waitlist_position is not None:
        left = rsvp.waitlist_position
        rsvp.waitlist_position = None
        await session.flush()
        await _move_up(session, convening.id, after=left, by=1)


async def promote(session: AsyncSession, convening: Convening) -> list[Rsvp]:
    """Fills free places from the head of the waitlist, in order; returns those promoted."""
    places = free_places(convening)
    if places == 0:
        return []
    statement = (
        select(Rsvp)
        .where(Rsvp.convening_id == convening.id, Rsvp.status == RsvpStatus.WAITLISTED)
        .order_by(Rsvp.waitlist_position)
        .execution_options(populate_existing=True)
    )
    if places is not None:
        statement = statement.limit(places)
    promoted = list(await session.scalars(statement))
    for rsvp in promoted:
        rsvp.status = RsvpStatus.GOING
        rsvp.waitlist_position = None
    convening.going_count += len(promoted)
    await session.flush()
    if promoted:
        await _move_up(session, convening.id, after=0, by=len(promoted))
    return promoted


def last_position(convening_id: int) -> ScalarSelect[int | None]:
    """The last position in line (NULL when nobody waits), to read with other rows."""
    waiting = aliased(Rsvp)
    return (
        select(func.max(waiting.waitlist_position))
        .where(waiting.convening_id == convening_id, waiting.status == RsvpStatus.WAITLISTED)
        .scalar_subquery()
    )


async def _last_position(session: AsyncSession, convening_id: int) -> int:
    return int(await session.scalar(select(last_position(convening_id))) or 0)


async def _move_up(session: AsyncSession, convening_id: int, *, after: int, by: int) -> None:
    """Closes the gap behind those who left the waitlist."""
    statement = (
        update(Rsvp)
        .where(
            Rsvp.convening_id == convening_id,
            Rsvp.status == RsvpStatus.WAITLISTED,
            Rsvp.waitlist_position > after,
        )
        .values(waitlist_position=Rsvp.waitlist_position - by)
        .execution_options(synchronize_session="fetch")
    )
    await session.execute(statement)

"""Who a message about a convening or a proposal goes to."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.models import CommitteeSeat, EligibleSeat, Person, Rsvp, Vote
from hub.models.convenings import RsvpStatus


async def answered(
    session: AsyncSession, convening_id: int, statuses: Collection[RsvpStatus]
) -> list[tuple[Person, Rsvp]]:
    """The people whose RSVP to the convening has one of these statuses."""
    statement = (
        select(Person, Rsvp)
        .join(Rsvp, Rsvp.person_id == Person.id)
        .where(Rsvp.convening_id == convening_id, Rsvp.status.in_(sorted(statuses)))
        .order_by(Rsvp.id)
    )
    return [(person, rsvp) for person, rsvp in (await session.execute(statement)).all()]


async def seat_people(
    session: AsyncSession, proposal_id: int, *, only_unvoted: bool = False
) -> list[tuple[Person, int]]:
    """The holders and alternates of the seats eligible to vote on a proposal, each with the
    seat; with `only_unvoted`, only of seats that have not voted."""
    statement = (
        select(Person, CommitteeSeat.id)
        .join(
            CommitteeSeat,
            or_(CommitteeSeat.holder_id == Person.id, CommitteeSeat.alternate_id == Person.id),
        )
        .join(EligibleSeat, EligibleSeat.seat_id == CommitteeSeat.id)
        .where(EligibleSeat.proposal_id == proposal_id)
        .order_by(CommitteeSeat.id, Person.id)
    )
    if only_unvoted:
        voted = exists().where(Vote.proposal_id == proposal_id, Vote.seat_id == CommitteeSeat.id)
        statement = statement.where(~voted)
    return [(person, seat_id) for person, seat_id in (await session.execute(statement)).all()]

"""Who a message about a convening or a proposal goes to. A message about a convening carries
its details, so it goes only to people who may see it (the API's row rule, for each recipient:
a person whose view changed since they answered hears nothing more of it)."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.access.permissions.convenings import seen_by
from hub.infrastructure.models import CommitteeSeat, EligibleSeat, Person, Rsvp, Vote
from hub.infrastructure.models.convenings import RsvpStatus


async def answered(
    session: AsyncSession, convening_id: int, statuses: Collection[RsvpStatus]
) -> list[tuple[Person, Rsvp]]:
    """The people whose RSVP to the convening has one of these statuses, who may see it."""
    statement = (
        select(Person, Rsvp)
        .join(Rsvp, Rsvp.person_id == Person.id)
        .where(Rsvp.convening_id == convening_id, Rsvp.status.in_(sorted(statuses)))
        .order_by(Rsvp.id)
    )
    found = (await session.execute(statement)).all()
    seeing = await seen_by(session, convening_id, [person.id for person, _ in found])
    return [(person, rsvp) for person, rsvp in found if person.id in seeing]


async def may_be_told(session: AsyncSession, convening_id: int, person_id: int) -> bool:
    """Whether a message about the convening may go to this person."""
    return bool(await seen_by(session, convening_id, [person_id]))


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

"""Committee seats: one per organization, held by one of its people, with an alternate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.access.auth.viewer import Viewer
from hub.access.permissions import governance as rules
from hub.common.errors import InputError
from hub.domains.governance.errors import GovernanceErrorCode as Code
from hub.domains.governance.events import record_event
from hub.infrastructure.db import dialect_insert
from hub.infrastructure.models import Affiliation, CommitteeSeat, Organization, Person
from hub.infrastructure.models.governance import GovernanceAction


@dataclass(frozen=True)
class SeatAssignment:
    """Who sits in an organization's seat. No holder vacates the seat."""

    organization_id: int
    holder_id: int | None
    alternate_id: int | None = None


def committee_seats(viewer: Viewer) -> Select[CommitteeSeat]:
    """The active seats, by organization name."""
    return (
        select(CommitteeSeat)
        .join(Organization, Organization.id == CommitteeSeat.organization_id)
        .where(CommitteeSeat.active, rules.seat_rows(viewer))
        .order_by(Organization.name, CommitteeSeat.id)
    )


async def assign_seat(
    session: AsyncSession, viewer: Viewer, assignment: SeatAssignment, *, now: datetime
) -> CommitteeSeat:
    """Fills, reassigns or vacates a seat. A vacated seat keeps its row (inactive), so the
    votes it cast keep their seat."""
    rules.require_admin(viewer)
    if await session.get(Organization, assignment.organization_id) is None:
        raise InputError(
            "organizationId", Code.UNKNOWN_ORGANIZATION, "No organization has that id."
        )
    if assignment.holder_id is None:
        return await _vacate(session, viewer, assignment, now=now)
    holder, alternate = await _check_people(session, assignment, assignment.holder_id)
    unchanged = await _seat_as_assigned(session, assignment)
    if unchanged is not None:
        return unchanged  # the same assignment sent again: nothing is written
    seat = await _upsert_seat(session, assignment, active=True, now=now)
    detail = f"holder {holder.name}, alternate {alternate.name if alternate else '-'}"
    await record_event(
        session,
        GovernanceAction.SEAT_ASSIGNED,
        now=now,
        actor=viewer,
        seat_id=seat.id,
        detail=detail,
    )
    return seat


def committee_roster(viewer: Viewer) -> Select[CommitteeSeat]:
    """Every seat, held and vacated, by organization name: the admins' roster."""
    rules.require_admin(viewer)
    return (
        select(CommitteeSeat)
        .join(Organization, Organization.id == CommitteeSeat.organization_id)
        .order_by(CommitteeSeat.active.desc(), Organization.name, CommitteeSeat.id)
    )


async def vacate_seat(
    session: AsyncSession, viewer: Viewer, organization_id: int, *, now: datetime
) -> CommitteeSeat:
    """Vacates an organization's seat: the same as assigning it no holder."""
    assignment = SeatAssignment(organization_id=organization_id, holder_id=None)
    return await assign_seat(session, viewer, assignment, now=now)


async def _seat_as_assigned(
    session: AsyncSession, assignment: SeatAssignment
) -> CommitteeSeat | None:
    """The organization's seat when it already is as assigned (vacant for no holder)."""
    seat = await session.scalar(
        select(CommitteeSeat)
        .where(CommitteeSeat.organization_id == assignment.organization_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if seat is None or seat.active != (assignment.holder_id is not None):
        return None
    if assignment.holder_id is None:
        return seat
    same = (seat.holder_id, seat.alternate_id) == (assignment.holder_id, assignment.alternate_id)
    return seat if same else None


async def _vacate(
    session: AsyncSession, viewer: Viewer, assignment: SeatAssignment, *, now: datetime
) -> CommitteeSeat:
    if assignment.alternate_id is not None:
        raise InputError(
            "alternateId", Code.ALTERNATE_WITHOUT_HOLDER, "A seat with an alternate needs a holder."
        )
    existing = await session.scalar(
        select(CommitteeSeat.id).where(CommitteeSeat.organization_id == assignment.organization_id)
    )
    if existing is None:
        raise InputError("organizationId", Code.UNKNOWN_SEAT, "That organization has no seat.")
    unchanged = await _seat_as_assigned(session, assignment)
    if unchanged is not None:
        return unchanged  # vacated already: nothing is written
    seat = await _upsert_seat(session, assignment, active=False, now=now)
    await record_event(
        session, GovernanceAction.SEAT_VACATED, now=now, actor=viewer, seat_id=seat.id
    )
    return seat


async def _check_people(
    session: AsyncSession, assignment: SeatAssignment, holder_id: int
) -> tuple[Person, Person | None]:
    if holder_id == assignment.alternate_id:
        raise InputError(
            "alternateId", Code.SAME_PERSON, "The holder and the alternate must be two people."
        )
    organization_id = assignment.organization_id
    holder = await _seat_person(session, "holderId", holder_id, organization_id)
    alternate_id = assignment.alternate_id
    if alternate_id is None:
        return holder, None
    return holder, await _seat_person(session, "alternateId", alternate_id, organization_id)


async def _seat_person(
    session: AsyncSession, field: str, person_id: int, organization_id: int
) -> Person:
    person = await session.get(Person, person_id)
    if person is None:
        raise InputError(field, Code.UNKNOWN_PERSON, "No person has that id.")
    if not await _is_affiliated(session, person_id, organization_id):
        raise InputError(
            field, Code.NOT_AFFILIATED, "A seat is held by people of its own organization."
        )
    return person


async def _is_affiliated(session: AsyncSession, person_id: int, organization_id: int) -> bool:
    found = await session.scalar(
        select(Affiliation.id).where(
            Affiliation.person_id == person_id, Affiliation.organization_id == organization_id
        )
    )
    return found is not None


async def _upsert_seat(
    session: AsyncSession, assignment: SeatAssignment, *, active: bool, now: datetime
) -> CommitteeSeat:
    # One seat per organization, even when two admins assign it at the same moment.
    values = {
        "holder_id": assignment.holder_id,
        "alternate_id": assignment.alternate_id,
        "active": active,
        "updated_at": now,
    }
    insert = dialect_insert(session, CommitteeSeat).values(
        organization_id=assignment.organization_id, created_at=now, **values
    )
    await session.execute(
        insert.on_conflict_do_update(index_elements=["organization_id"], set_=values)
    )
    statement = (
        select(CommitteeSeat)
        .where(CommitteeSeat.organization_id == assignment.organization_id)
        .execution_options(populate_existing=True)
    )
    return (await session.scalars(statement)).one()

"""Removing a person and merging two records of one person.

Both walk every column that names a person (read from the models' metadata, so a table added
later is not forgotten), lock the people's rows first (in id order: two runs at once take
turns, and the second finds the work done), and leave no row naming someone who is gone."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Column, Table, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hub.access.auth.viewer import Viewer
from hub.access.permissions import directory as rules
from hub.common.errors import InputError
from hub.domains.convenings import waitlist
from hub.domains.directory.errors import DirectoryErrorCode as Code
from hub.domains.signin.credentials import end_credentials_of
from hub.domains.signin.sessions import SessionEnd
from hub.infrastructure.audit import record_audit
from hub.infrastructure.models import (
    Affiliation,
    Base,
    CalendarFeedToken,
    CommitteeSeat,
    Convening,
    OutboxMessage,
    Person,
    Rsvp,
    SigninLink,
)
from hub.infrastructure.models.convenings import RsvpStatus
from hub.infrastructure.models.outbox import OutboxStatus

REMOVED = "person.removed"
RECIPIENT_REMOVED = "The recipient was removed from the directory."
MERGED = "person.merged"
# What a removed person's row shows wherever it is still named (pages translate the label).
FORMER_MEMBER = "Former member"
# The more committed answer wins when both records answered the same convening.
COMMITMENT = {
    RsvpStatus.GOING: 3,
    RsvpStatus.WAITLISTED: 2,
    RsvpStatus.MAYBE: 1,
    RsvpStatus.NOT_GOING: 0,
}


def person_columns() -> Iterator[Column[int]]:
    """Every column of the hub that holds a person's id."""
    for table in Base.metadata.tables.values():
        for column in table.columns:
            if any(fk.column.table.name == "people" for fk in column.foreign_keys):
                yield column


async def remove_person(
    session: AsyncSession, viewer: Viewer, person_id: int, *, now: datetime
) -> Person:
    """Keeps the row as a "former member" (their RSVPs, votes and audit entries stay and name
    no one), clears their private data and what they answered for convenings still to come,
    ends their affiliations, seats, feeds, sessions and tokens. Audited."""
    rules.require_admin(viewer)
    person = await _locked(session, person_id, "id")
    if person.removed_at is not None:
        raise InputError("id", Code.ALREADY_REMOVED, "This person was removed already.")
    await _refuse_last_admin(session, person)
    await end_credentials_of(
        session, person.id, actor_id=viewer.person_id, reason=SessionEnd.PERSON_REMOVED, now=now
    )
    await _release_rsvps(session, viewer, person.id, now)
    await _vacate_seats(session, person.id)
    await _hold_mail(session, person.id)
    for model in (Affiliation, SigninLink):
        await session.execute(delete(model).where(model.person_id == person.id))
    await session.execute(delete(CalendarFeedToken).where(CalendarFeedToken.person_id == person.id))
    detail = f"{person.name} <{person.email}> (person {person.id})"
    _clear(person, now)
    await session.flush()
    await record_audit(session, action=REMOVED, actor_id=viewer.person_id, detail=detail, now=now)
    return person


def _clear(person: Person, now: datetime) -> None:
    person.name = FORMER_MEMBER
    person.search_text = ""
    person.email = f"former-member-{person.id}@removed.invalid"
    person.phone = None
    person.is_admin = False
    person.removed_at = now


async def _release_rsvps(
    session: AsyncSession, viewer: Viewer, person_id: int, now: datetime
) -> None:
    """Needs are private: cleared on every RSVP. A place or waitlist position at a convening
    still to come goes to the next in line."""
    rsvps = list(await session.scalars(select(Rsvp).where(Rsvp.person_id == person_id)))
    for rsvp in rsvps:
        rsvp.accessibility, rsvp.accessibility_note, rsvp.dietary = [], "", ""
        rsvp.childcare_count, rsvp.interpretation_language = 0, None
    upcoming = await _upcoming(session, [r.convening_id for r in rsvps], now)
    for rsvp in rsvps:
        if rsvp.convening_id in upcoming and rsvp.status != RsvpStatus.NOT_GOING:
            convening = await _locked_convening(session, rsvp.convening_id)
            await waitlist.give_up_place(session, convening, rsvp)
            rsvp.status, rsvp.waitlist_position = RsvpStatus.NOT_GOING, None
            await session.flush()
            await waitlist.promote(session, convening)
    await session.flush()


async def _upcoming(session: AsyncSession, convening_ids: list[int], now: datetime) -> set[int]:
    if not convening_ids:
        return set()
    statement = select(Convening.id).where(
        Convening.id.in_(convening_ids), Convening.starts_at > now
    )
    return set(await session.scalars(statement))


async def _locked_convening(session: AsyncSession, convening_id: int) -> Convening:
    statement = (
        select(Convening)
        .where(Convening.id == convening_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return (await session.scalars(statement)).one()


async def _vacate_seats(session: AsyncSession, person_id: int) -> None:
    for column in (CommitteeSeat.holder_id, CommitteeSeat.alternate_id):
        await session.execute(
            update(CommitteeSeat)
            .where(column == person_id)
            .values({column.key: None})
            .execution_options(synchronize_session="fetch")
        )


async def _hold_mail(session: AsyncSession, person_id: int) -> None:
    """Email still waiting to go to someone removed never goes."""
    await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.recipient_person_id == person_id,
            OutboxMessage.status == OutboxStatus.PENDING,
        )
        .values(status=OutboxStatus.SUPPRESSED, last_error=RECIPIENT_REMOVED)
        .execution_options(synchronize_session=False)
    )


@dataclass(frozen=True)
class Merged:
    survivor: Person
    moved: int


async def merge_people(
    session: AsyncSession, viewer: Viewer, survivor_id: int, duplicate_id: int, *, now: datetime
) -> Merged:
    """Moves everything that names the duplicate to the survivor in the caller's transaction,
    then deletes the duplicate (their credentials ended first). Where both records hold a
    row that may exist once per person (an affiliation with one organization, an answer to
    one convening) the survivor's is kept, or, for answers, the more committed one."""
    rules.require_admin(viewer)
    if survivor_id == duplicate_id:
        raise InputError("duplicate", Code.SAME_PERSON, "Pick two different people.")
    first, second = sorted((survivor_id, duplicate_id))
    locked = {
        first: await _locked(session, first, _field(first, survivor_id)),
        second: await _locked(session, second, _field(second, survivor_id)),
    }
    survivor, duplicate = locked[survivor_id], locked[duplicate_id]
    for person, field in ((survivor, "survivor"), (duplicate, "duplicate")):
        if person.removed_at is not None:
            raise InputError(field, Code.UNKNOWN_PERSON, "That person was removed.")
    detail = (
        f"{duplicate.name} <{duplicate.email}> (person {duplicate.id}) merged into "
        f"{survivor.name} <{survivor.email}> (person {survivor.id})"
    )
    await end_credentials_of(
        session, duplicate.id, actor_id=viewer.person_id, reason=SessionEnd.PERSON_REMOVED, now=now
    )
    # A sign-in link mailed to the duplicate's address must not open the survivor's account.
    await session.execute(delete(SigninLink).where(SigninLink.person_id == duplicate.id))
    _absorb(survivor, duplicate)
    await session.flush()
    await _drop_duplicate_affiliations(session, survivor.id, duplicate.id)
    await _settle_rsvps(session, survivor.id, duplicate.id)
    moved = await _move_references(session, survivor.id, duplicate.id)
    await _one_person_one_place_per_seat(session, survivor.id)
    session.expunge(duplicate)
    await session.execute(delete(Person).where(Person.id == duplicate_id))
    _forget_loaded_rows(session, keep=survivor)
    await record_audit(
        session,
        action=MERGED,
        actor_id=viewer.person_id,
        detail=f"{detail}: {moved} rows moved",
        now=now,
    )
    return Merged(survivor=survivor, moved=moved)


def _field(person_id: int, survivor_id: int) -> str:
    return "survivor" if person_id == survivor_id else "duplicate"


def _absorb(survivor: Person, duplicate: Person) -> None:
    """What the survivor lacks, the duplicate gives: a phone, admin rights."""
    survivor.phone = survivor.phone or duplicate.phone
    survivor.is_admin = survivor.is_admin or duplicate.is_admin


async def _drop_duplicate_affiliations(
    session: AsyncSession, survivor_id: int, duplicate_id: int
) -> None:
    shared = select(Affiliation.organization_id).where(Affiliation.person_id == survivor_id)
    await session.execute(
        delete(Affiliation).where(
            Affiliation.person_id == duplicate_id, Affiliation.organization_id.in_(shared)
        )
    )


async def _settle_rsvps(session: AsyncSession, survivor_id: int, duplicate_id: int) -> None:
    """Both answered one convening: the less committed answer goes (its place, if it held one,
    to the next in line), the other stays and moves to the survivor with the rest."""
    duplicates = {
        r.convening_id: r
        for r in await session.scalars(select(Rsvp).where(Rsvp.person_id == duplicate_id))
    }
    if not duplicates:
        return
    survivors = await session.scalars(
        select(Rsvp).where(Rsvp.person_id == survivor_id, Rsvp.convening_id.in_(list(duplicates)))
    )
    for kept_by_survivor in list(survivors):
        other = duplicates[kept_by_survivor.convening_id]
        loser = other if _commitment(kept_by_survivor) >= _commitment(other) else kept_by_survivor
        convening = await _locked_convening(session, loser.convening_id)
        await waitlist.give_up_place(session, convening, loser)
        await session.delete(loser)
        await session.flush()
        await waitlist.promote(session, convening)


def _commitment(rsvp: Rsvp) -> tuple[bool, int]:
    return (rsvp.checked_in_at is not None, COMMITMENT[rsvp.status])


async def _move_references(session: AsyncSession, survivor_id: int, duplicate_id: int) -> int:
    moved = 0
    for column in person_columns():
        table = column.table
        assert isinstance(table, Table)
        result = await session.execute(
            update(table).where(column == duplicate_id).values({column.name: survivor_id})
        )
        moved += max(result.rowcount or 0, 0)  # type: ignore[attr-defined]
    return moved


async def _one_person_one_place_per_seat(session: AsyncSession, person_id: int) -> None:
    """One record held a seat and the other was its alternate: the holder stays, the
    alternate's place is vacant."""
    await session.execute(
        update(CommitteeSeat)
        .where(CommitteeSeat.holder_id == person_id, CommitteeSeat.alternate_id == person_id)
        .values(alternate_id=None)
        .execution_options(synchronize_session=False)
    )


def _forget_loaded_rows(session: AsyncSession, *, keep: Person) -> None:
    """Rows loaded before the moves may still name the duplicate: read them afresh."""
    for row in list(session.identity_map.values()):
        if row is not keep:
            session.expire(row)


async def _locked(session: AsyncSession, person_id: int, field: str) -> Person:
    person = await session.get(Person, person_id, with_for_update=True, populate_existing=True)
    if person is None:
        raise InputError(field, Code.UNKNOWN_PERSON, "No person has that id.")
    return person


async def _refuse_last_admin(session: AsyncSession, person: Person) -> None:
    """As hub/domains/directory/admins.py's revoke_admin: every admin's row locked, then counted."""
    if not person.is_admin:
        return
    admins = await session.scalars(
        select(Person.id).where(Person.is_admin).order_by(Person.id).with_for_update()
    )
    if len(list(admins)) == 1:
        message = "The hub needs an admin: make someone else an admin first."
        raise InputError("id", Code.LAST_ADMIN, message)

"""Answering a convening: for yourself or, as an organization's contact, for its delegation;
changing the answer; cancelling it. Capacity, the waitlist and the delegate limit are decided
under the convening's row lock."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from hub.access.auth.viewer import Viewer
from hub.access.permissions import Forbidden
from hub.access.permissions import convenings as rules
from hub.common.errors import InputChecks, InputError
from hub.delivery.notifications import convenings as notify
from hub.domains.convenings import lookup, waitlist
from hub.domains.convenings import validation as valid
from hub.domains.convenings.errors import ConveningErrorCode as Code
from hub.domains.sync.changes import touch
from hub.infrastructure.models import Affiliation, Convening, Organization, Person, Rsvp
from hub.infrastructure.models.base import utcnow
from hub.infrastructure.models.convenings import AccessibilityNeed, ConveningStatus, RsvpStatus

HOLDING_A_PLACE = (RsvpStatus.GOING, RsvpStatus.WAITLISTED)


@dataclass(frozen=True)
class Needs:
    interpretation_language: str | None = None
    accessibility: list[AccessibilityNeed] = field(default_factory=list)
    accessibility_note: str = ""
    childcare_count: int = 0
    dietary: str = ""


@dataclass(frozen=True)
class Answer:
    convening_id: int
    status: RsvpStatus
    person_id: int | None = None
    organization_id: int | None = None
    # None keeps the needs given before; a Needs replaces them.
    needs: Needs | None = None


@dataclass(frozen=True)
class Answered:
    """An answer as stored, with the rows it was checked against: the person answered for
    and the organization represented (None when none is, or it is gone)."""

    rsvp: Rsvp
    person: Person
    organization: Organization | None


async def answer(session: AsyncSession, viewer: Viewer, given: Answer) -> Rsvp:
    return (await answered(session, viewer, given)).rsvp


async def answered(session: AsyncSession, viewer: Viewer, given: Answer) -> Answered:
    """Records the answer. Under the convening's lock, one statement reads what it is checked
    against (the person, their RSVP, the organization, and the delegates or the waitlist's
    end when they matter), so that the lock is held for as few round trips as may be."""
    rules.require_person(viewer)
    if given.status == RsvpStatus.WAITLISTED:
        raise InputError("status", Code.REQUIRED, "Answer GOING, MAYBE or NOT_GOING.")
    # Its counts change, or it is answered again: either way pollers see it changed.
    convening = await lookup.touched_convening(session, viewer, given.convening_id)
    require_open(convening, deadline=True)
    person_id = given.person_id or viewer.person_id
    assert person_id is not None
    own = person_id == viewer.person_id
    organization_id = given.organization_id
    if own and organization_id is None:  # your only organization, if you have one
        only = viewer.affiliated_org_ids
        organization_id = next(iter(only)) if len(only) == 1 else None
    going = given.status == RsvpStatus.GOING
    found = await _answer_rows(session, convening, person_id, organization_id, going, own)
    if found.person is None:  # someone else's id, or yourself removed meanwhile
        raise InputError("personId", Code.UNKNOWN_PERSON, "No person has that id.")
    if own:
        _require_own_organization(viewer, given.organization_id, found)
    else:
        _require_may_answer_for(viewer, organization_id, found)
        await _require_seen_by(session, convening, person_id)
    needs = checked_needs(convening, given.needs) if given.needs else None
    rsvp = found.rsvp
    previous = rsvp.status if rsvp else None
    if going:
        _check_delegate_limit(convening, organization_id, rsvp, found.delegates)
    rsvp = rsvp or _new_rsvp(session, convening, person_id)
    rsvp.organization_id = organization_id
    rsvp.responded_by_id = viewer.person_id
    if needs is not None:
        _apply_needs(rsvp, needs)
    promoted = await _move(session, convening, rsvp, given.status, found.last_position)
    # The lookup showed the convening to the viewer, and _require_seen_by to anyone else.
    await _notify(session, convening, rsvp, previous, promoted, seen_by_person=True)
    organization = found.organization if organization_id is not None else None
    return Answered(rsvp, found.person, organization)


async def cancel(session: AsyncSession, viewer: Viewer, rsvp_id: int) -> Rsvp:
    """Says the person will not come (NOT_GOING), freeing their place or waitlist position.
    Allowed after the RSVP deadline: a freed place is never bad news."""
    rules.require_person(viewer)
    found = await lookup.visible_rsvp(session, viewer, rsvp_id)
    convening = await lookup.locked_convening(session, viewer, found.convening_id)
    rsvp = await lookup.visible_rsvp(session, viewer, rsvp_id)
    hosts = await lookup.host_ids(session, convening.id)
    if not rules.may_manage(viewer, hosts) and not await _may_answer(
        session, viewer, rsvp.person_id, rsvp.organization_id
    ):
        raise Forbidden("Only the person, their organization's contact or the hosts may cancel.")
    require_open(convening, deadline=False)
    previous = rsvp.status
    touch(convening)  # its counts show on the convening: pollers must see it changed
    promoted = await _move(session, convening, rsvp, RsvpStatus.NOT_GOING)
    await _notify(session, convening, rsvp, previous, promoted)
    return rsvp


def require_open(convening: Convening, *, deadline: bool) -> None:
    now = utcnow()
    if convening.status == ConveningStatus.CANCELLED:
        raise InputError("conveningId", Code.CONVENING_CANCELLED, "This convening is cancelled.")
    if convening.status == ConveningStatus.COMPLETED or convening.starts_at <= now:
        raise InputError("conveningId", Code.CONVENING_PAST, "This convening has already begun.")
    if deadline and convening.rsvp_deadline is not None and convening.rsvp_deadline < now:
        raise InputError("conveningId", Code.DEADLINE_PASSED, "The RSVP deadline has passed.")


def checked_needs(convening: Convening, needs: Needs) -> Needs:
    """The needs as stored, or every mistake in them at once."""
    checks = InputChecks()
    cleaned: dict[str, Any] = {}
    checks.keep(cleaned, "language", lambda: _offered_language(convening, needs))
    note, dietary = needs.accessibility_note, needs.dietary
    checks.keep(cleaned, "note", lambda: valid.optional_text("needs.accessibilityNote", note, 2000))
    checks.keep(cleaned, "dietary", lambda: valid.optional_text("needs.dietary", dietary, 2000))
    checks.keep(cleaned, "childcare", lambda: valid.childcare_count(needs.childcare_count))
    checks.raise_found()
    return Needs(
        interpretation_language=cleaned["language"],
        accessibility=list(dict.fromkeys(needs.accessibility)),
        accessibility_note=cleaned["note"] or "",
        childcare_count=cleaned["childcare"],
        dietary=cleaned["dietary"] or "",
    )


def _offered_language(convening: Convening, needs: Needs) -> str | None:
    language = valid.optional_text("needs.interpretationLanguage", needs.interpretation_language, 8)
    if language is not None and language not in convening.languages:
        offered = ", ".join(convening.languages) or "none"
        raise InputError(
            "needs.interpretationLanguage",
            Code.INTERPRETATION_NOT_OFFERED,
            f"Interpretation into {language!r} is not offered here (offered: {offered}).",
        )
    return language


@dataclass(frozen=True)
class _Found:
    """What an answer is checked against, read under the convening's lock."""

    person: Person | None
    rsvp: Rsvp | None
    organization: Organization | None
    affiliated: bool  # the person is in the organization (asked only for someone else)
    delegates: int | None  # the organization's others holding a place, when limited
    last_position: int | None  # the end of the waitlist, when the convening is full


async def _answer_rows(
    session: AsyncSession,
    convening: Convening,
    person_id: int,
    organization_id: int | None,
    going: bool,
    own: bool,
) -> _Found:
    """The person, their RSVP to the convening and the organization, in one statement, with
    what the answer needs besides: whether the person is in the organization (answering for
    someone else), how many others of it hold a place (GOING under a delegate limit), and the
    waitlist's end (GOING to a full convening). Read after the lock: the RSVPs are fresh."""
    rsvp_of_person = and_(Rsvp.person_id == Person.id, Rsvp.convening_id == convening.id)
    statement: Any = select(Person, Rsvp).outerjoin(Rsvp, rsvp_of_person)
    statement = statement.where(Person.id == person_id)
    if organization_id is not None:
        statement = statement.add_columns(Organization).outerjoin(
            Organization, Organization.id == organization_id
        )
        if not own:
            affiliated = exists().where(
                Affiliation.person_id == Person.id, Affiliation.organization_id == organization_id
            )
            statement = statement.add_columns(affiliated.label("affiliated"))
        if going and convening.delegate_limit is not None:
            statement = statement.add_columns(
                _delegates(convening.id, organization_id, person_id).label("delegates")
            )
    if going and waitlist.may_be_waiting(convening):
        statement = statement.add_columns(
            waitlist.last_position(convening.id).label("last_position")
        )
    row = (await session.execute(statement.execution_options(populate_existing=True))).first()
    if row is None:
        return _Found(None, None, None, False, None, None)
    values = row._mapping
    last = values.get("last_position")
    return _Found(
        person=row[0],
        rsvp=row[1],
        organization=row[2] if organization_id is not None else None,
        affiliated=bool(values.get("affiliated")),
        delegates=values.get("delegates"),
        last_position=None if "last_position" not in values else int(last or 0),
    )


def _delegates(convening_id: int, organization_id: int, person_id: int) -> Any:
    others = aliased(Rsvp)
    return (
        select(func.count(others.id))
        .where(
            others.convening_id == convening_id,
            others.organization_id == organization_id,
            others.status.in_(HOLDING_A_PLACE),
            others.person_id != person_id,
        )
        .scalar_subquery()
    )


def _require_own_organization(viewer: Viewer, organization_id: int | None, found: _Found) -> None:
    """Answering for yourself as an organization you named: it exists, and you are in it."""
    if organization_id is None:
        return
    if found.organization is None:
        raise _unknown_organization()
    if organization_id not in viewer.affiliated_org_ids:
        raise InputError(
            "organizationId", Code.OUTSIDE_ORGANIZATION, "You are not in that organization."
        )


def _require_may_answer_for(viewer: Viewer, organization_id: int | None, found: _Found) -> None:
    """Answering for someone else: as a contact of an organization they are in."""
    if organization_id is None:
        raise InputError(
            "organizationId",
            Code.ORGANIZATION_REQUIRED,
            "Say which organization you answer for this person as.",
        )
    if found.organization is None:
        raise _unknown_organization()
    if organization_id not in viewer.contact_org_ids:
        raise InputError(
            "organizationId",
            Code.NOT_A_CONTACT,
            "Only the organization's contacts may answer for its people.",
        )
    if not found.affiliated:
        raise InputError(
            "personId", Code.OUTSIDE_ORGANIZATION, "This person is not in that organization."
        )


def _unknown_organization() -> InputError:
    return InputError("organizationId", Code.UNKNOWN_ORGANIZATION, "No organization has that id.")


async def _require_seen_by(session: AsyncSession, convening: Convening, person_id: int) -> None:
    """An answer for someone else brings them its emails and calendar entries: only for a
    convening they may see themselves."""
    if not await rules.seen_by(session, convening.id, [person_id]):
        raise InputError(
            "personId",
            Code.CONVENING_NOT_VISIBLE_TO_PERSON,
            "This person may not see this convening, so no one can answer it for them.",
        )


async def _is_affiliated(session: AsyncSession, person_id: int, organization_id: int) -> bool:
    statement = select(Affiliation.id).where(
        Affiliation.person_id == person_id, Affiliation.organization_id == organization_id
    )
    return await session.scalar(statement) is not None


async def _may_answer(
    session: AsyncSession, viewer: Viewer, person_id: int, organization_id: int | None
) -> bool:
    if not rules.may_answer_for(viewer, person_id, organization_id):
        return False
    return person_id == viewer.person_id or await _is_affiliated(
        session, person_id, organization_id or 0
    )


def _check_delegate_limit(
    convening: Convening, organization_id: int | None, rsvp: Rsvp | None, delegates: int | None
) -> None:
    """`delegates`: the organization's others holding a place (read by _answer_rows)."""
    limit = convening.delegate_limit
    if limit is None or organization_id is None:
        return
    if rsvp and rsvp.status in HOLDING_A_PLACE and rsvp.organization_id == organization_id:
        return
    if (delegates or 0) >= limit:
        raise InputError(
            "personId",
            Code.DELEGATE_LIMIT_REACHED,
            f"This organization already sends {limit}, its delegate limit for this convening.",
        )


def _new_rsvp(session: AsyncSession, convening: Convening, person_id: int) -> Rsvp:
    rsvp = Rsvp(
        convening_id=convening.id,
        person_id=person_id,
        status=RsvpStatus.NOT_GOING,
        accessibility=[],
        accessibility_note="",
        childcare_count=0,
        dietary="",
    )
    session.add(rsvp)
    return rsvp


def _apply_needs(rsvp: Rsvp, needs: Needs) -> None:
    rsvp.interpretation_language = needs.interpretation_language
    rsvp.accessibility = [need.value for need in needs.accessibility]
    rsvp.accessibility_note = needs.accessibility_note
    rsvp.childcare_count = needs.childcare_count
    rsvp.dietary = needs.dietary


async def _move(
    session: AsyncSession,
    convening: Convening,
    rsvp: Rsvp,
    status: RsvpStatus,
    last_position: int | None = None,
) -> list[Rsvp]:
    """Sets the answer, taking or freeing a place; returns those promoted into a freed place
    (only a full convening has anyone waiting to promote)."""
    if status == RsvpStatus.GOING:
        await waitlist.take_place(session, convening, rsvp, last_position)
        await session.flush()
        return []
    anyone_waiting = waitlist.may_be_waiting(convening)
    await waitlist.give_up_place(session, convening, rsvp)
    rsvp.status = status
    await session.flush()
    return await waitlist.promote(session, convening) if anyone_waiting else []


async def _notify(
    session: AsyncSession,
    convening: Convening,
    rsvp: Rsvp,
    previous: RsvpStatus | None,
    promoted: list[Rsvp],
    *,
    seen_by_person: bool = False,
) -> None:
    """`seen_by_person`: the RSVP's person is known to see the convening."""
    if rsvp.status != previous:
        await notify.rsvp_answered(session, rsvp, convening, previous, seen=seen_by_person)
    for moved_up in promoted:
        await notify.waitlist_promoted(session, moved_up, convening)
    if rsvp.status != previous or promoted:
        await notify.rsvp_counts_changed(session, convening)

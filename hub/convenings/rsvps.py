"""Answering a convening: for yourself or, as an organization's contact, for its delegation;
changing the answer; cancelling it. Capacity, the waitlist and the delegate limit are decided
under the convening's row lock."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.auth.viewer import Viewer
from hub.convenings import lookup, waitlist
from hub.convenings import validation as valid
from hub.convenings.errors import ConveningErrorCode as Code
from hub.errors import InputError
from hub.models import Affiliation, Convening, Organization, Person, Rsvp
from hub.models.base import utcnow
from hub.models.convenings import AccessibilityNeed, ConveningStatus, RsvpStatus
from hub.notifications import convenings as notify
from hub.permissions import Forbidden
from hub.permissions import convenings as rules
from hub.sync.changes import touch

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


async def answer(session: AsyncSession, viewer: Viewer, given: Answer) -> Rsvp:
    rules.require_person(viewer)
    if given.status == RsvpStatus.WAITLISTED:
        raise InputError("status", Code.REQUIRED, "Answer GOING, MAYBE or NOT_GOING.")
    convening = await lookup.locked_convening(session, viewer, given.convening_id)
    require_open(convening, deadline=True)
    person_id = given.person_id or viewer.person_id
    assert person_id is not None
    organization_id = await _represented(session, viewer, person_id, given.organization_id)
    if person_id != viewer.person_id:  # the viewer's own view was checked by the lookup
        await _require_seen_by(session, convening, person_id)
    needs = checked_needs(convening, given.needs) if given.needs else None
    rsvp = await _rsvp_of(session, convening.id, person_id)
    previous = rsvp.status if rsvp else None
    if given.status == RsvpStatus.GOING:
        await _check_delegate_limit(session, convening, person_id, organization_id, rsvp)
    rsvp = rsvp or _new_rsvp(session, convening, person_id)
    rsvp.organization_id = organization_id
    rsvp.responded_by_id = viewer.person_id
    if needs is not None:
        _apply_needs(rsvp, needs)
    promoted = await _move(session, convening, rsvp, given.status)
    await _notify(session, convening, rsvp, previous, promoted)
    return rsvp


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
    language = valid.optional_text("needs.interpretationLanguage", needs.interpretation_language, 8)
    if language is not None and language not in convening.languages:
        offered = ", ".join(convening.languages) or "none"
        raise InputError(
            "needs.interpretationLanguage",
            Code.INTERPRETATION_NOT_OFFERED,
            f"Interpretation into {language!r} is not offered here (offered: {offered}).",
        )
    if needs.childcare_count < 0:
        raise InputError(
            "needs.childcareCount", Code.NEGATIVE_CHILDCARE, "Childcare places cannot be negative."
        )
    return Needs(
        interpretation_language=language,
        accessibility=list(dict.fromkeys(needs.accessibility)),
        accessibility_note=valid.optional_text(
            "needs.accessibilityNote", needs.accessibility_note, 2000
        )
        or "",
        childcare_count=needs.childcare_count,
        dietary=valid.optional_text("needs.dietary", needs.dietary, 2000) or "",
    )


async def _represented(
    session: AsyncSession, viewer: Viewer, person_id: int, organization_id: int | None
) -> int | None:
    """The organization the answer represents, after checking the viewer may answer for the
    person. Answering for yourself without naming one represents your only organization."""
    if person_id == viewer.person_id:
        return await _own_organization(session, viewer, organization_id)
    if await session.get(Person, person_id) is None:
        raise InputError("personId", Code.UNKNOWN_PERSON, "No person has that id.")
    if organization_id is None:
        raise InputError(
            "organizationId",
            Code.ORGANIZATION_REQUIRED,
            "Say which organization you answer for this person as.",
        )
    await _require_organization(session, organization_id)
    if organization_id not in viewer.contact_org_ids:
        raise InputError(
            "organizationId",
            Code.NOT_A_CONTACT,
            "Only the organization's contacts may answer for its people.",
        )
    if not await _is_affiliated(session, person_id, organization_id):
        raise InputError(
            "personId", Code.OUTSIDE_ORGANIZATION, "This person is not in that organization."
        )
    return organization_id


async def _require_seen_by(session: AsyncSession, convening: Convening, person_id: int) -> None:
    """An answer for someone else brings them its emails and calendar entries: only for a
    convening they may see themselves."""
    if not await rules.seen_by(session, convening.id, [person_id]):
        raise InputError(
            "personId",
            Code.CONVENING_NOT_VISIBLE_TO_PERSON,
            "This person may not see this convening, so no one can answer it for them.",
        )


async def _own_organization(
    session: AsyncSession, viewer: Viewer, organization_id: int | None
) -> int | None:
    if organization_id is None:
        only = viewer.affiliated_org_ids
        return next(iter(only)) if len(only) == 1 else None
    await _require_organization(session, organization_id)
    if organization_id not in viewer.affiliated_org_ids:
        raise InputError(
            "organizationId", Code.OUTSIDE_ORGANIZATION, "You are not in that organization."
        )
    return organization_id


async def _require_organization(session: AsyncSession, organization_id: int) -> None:
    if await session.get(Organization, organization_id) is None:
        raise InputError(
            "organizationId", Code.UNKNOWN_ORGANIZATION, "No organization has that id."
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


async def _check_delegate_limit(
    session: AsyncSession,
    convening: Convening,
    person_id: int,
    organization_id: int | None,
    rsvp: Rsvp | None,
) -> None:
    limit = convening.delegate_limit
    if limit is None or organization_id is None:
        return
    if rsvp and rsvp.status in HOLDING_A_PLACE and rsvp.organization_id == organization_id:
        return
    statement = select(func.count(Rsvp.id)).where(
        Rsvp.convening_id == convening.id,
        Rsvp.organization_id == organization_id,
        Rsvp.status.in_(HOLDING_A_PLACE),
        Rsvp.person_id != person_id,
    )
    if (await session.scalar(statement) or 0) >= limit:
        raise InputError(
            "personId",
            Code.DELEGATE_LIMIT_REACHED,
            f"This organization already sends {limit}, its delegate limit for this convening.",
        )


async def _rsvp_of(session: AsyncSession, convening_id: int, person_id: int) -> Rsvp | None:
    statement = (
        select(Rsvp)
        .where(Rsvp.convening_id == convening_id, Rsvp.person_id == person_id)
        .execution_options(populate_existing=True)
    )
    return await session.scalar(statement)


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
    session: AsyncSession, convening: Convening, rsvp: Rsvp, status: RsvpStatus
) -> list[Rsvp]:
    """Sets the answer, taking or freeing a place; returns those promoted into a freed place."""
    if status == RsvpStatus.GOING:
        await waitlist.take_place(session, convening, rsvp)
        await session.flush()
        return []
    await waitlist.give_up_place(session, convening, rsvp)
    rsvp.status = status
    await session.flush()
    return await waitlist.promote(session, convening)


async def _notify(
    session: AsyncSession,
    convening: Convening,
    rsvp: Rsvp,
    previous: RsvpStatus | None,
    promoted: list[Rsvp],
) -> None:
    touch(convening)  # its counts show on the convening: pollers must see it changed
    if rsvp.status != previous:
        await notify.rsvp_answered(session, rsvp, convening, previous)
    for moved_up in promoted:
        await notify.waitlist_promoted(session, moved_up, convening)
    if rsvp.status != previous or promoted:
        await notify.rsvp_counts_changed(session, convening)

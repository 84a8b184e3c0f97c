"""Walk-ins: someone who did not answer beforehand arrives at the door. The host registers
them (a person of the directory, or a new one by name) and they are checked in at once: their
answer is GOING even when the convening is full (they are in the room), marked as a walk-in.

Everything happens under the convening's row lock, and the door's form key is unique per
convening: a double tap finds the first walk-in and registers no second one.

A new person is a guest of the hub, as a guest RSVP makes one: no affiliation, no member rights,
seen apart by staff, who may attach them to an organization. The organization they came for is
the one their RSVP represents, or the name typed at the door when the directory has none."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.access.auth.viewer import Viewer
from hub.access.permissions import convenings as rules
from hub.access.permissions import directory as people_rules
from hub.common.errors import InputChecks, InputError
from hub.delivery.notifications import convenings as notify
from hub.domains.convenings import lookup, waitlist
from hub.domains.convenings import validation as valid
from hub.domains.convenings.attendees import NO_EMAIL_DOMAIN
from hub.domains.convenings.errors import ConveningErrorCode as Code
from hub.domains.convenings.messages import form_key
from hub.domains.directory import validation as directory_valid
from hub.domains.sync.changes import touch
from hub.infrastructure.models import Affiliation, Convening, Organization, Person, Rsvp
from hub.infrastructure.models.base import utcnow
from hub.infrastructure.models.convenings import ConveningStatus, RsvpStatus
from hub.infrastructure.search import folded


@dataclass(frozen=True)
class WalkIn:
    convening_id: int
    key: str
    # A person of the directory, or a new one by name (and email, when they give one).
    person_id: int | None = None
    name: str | None = None
    email: str | None = None
    # The organization they came for: picked, or typed.
    organization_id: int | None = None
    organization_name: str | None = None


async def register_walk_in(session: AsyncSession, viewer: Viewer, given: WalkIn) -> Rsvp:
    rules.require_person(viewer)
    convening = await lookup.locked_convening(session, viewer, given.convening_id)
    rules.require_may_register_walk_in(viewer, await lookup.host_ids(session, convening.id))
    key = form_key(given.key)
    if convening.status == ConveningStatus.CANCELLED:
        raise InputError("conveningId", Code.CONVENING_CANCELLED, "This convening is cancelled.")
    registered = await _rsvp_where(
        session, Rsvp.convening_id == convening.id, Rsvp.walk_in_key == key
    )
    if registered is not None:
        return registered
    organization_id, typed = await _organization(session, given)
    person = await _person(session, viewer, given, typed)
    if organization_id is None and typed is None:
        organization_id = await _only_organization(session, person.id)
    rsvp = await _rsvp_where(
        session, Rsvp.convening_id == convening.id, Rsvp.person_id == person.id
    ) or _new_rsvp(session, convening, person)
    await _admit(session, convening, rsvp, key, organization_id, typed, viewer)
    return rsvp


async def _admit(
    session: AsyncSession,
    convening: Convening,
    rsvp: Rsvp,
    key: str,
    organization_id: int | None,
    typed: str | None,
    viewer: Viewer,
) -> None:
    expected = rsvp.status == RsvpStatus.GOING
    if not expected:
        # Not expected at the door: they walked in, for the organization named there.
        rsvp.walk_in, rsvp.walk_in_key = True, key
        if organization_id is not None or typed is not None:
            rsvp.organization_id, rsvp.walk_in_organization = organization_id, typed
        rsvp.responded_by_id = viewer.person_id
        await waitlist.admit(session, convening, rsvp)
    if rsvp.checked_in_at is None:
        rsvp.checked_in_at = utcnow()
    touch(convening)
    await session.flush()
    if not expected:
        await notify.rsvp_counts_changed(session, convening)


async def _person(
    session: AsyncSession, viewer: Viewer, given: WalkIn, typed_organization: str | None
) -> Person:
    if given.person_id is not None:
        statement = select(Person).where(
            Person.id == given.person_id, people_rules.person_rows(viewer)
        )
        person = await session.scalar(statement)
        if person is None:
            raise InputError("personId", Code.UNKNOWN_PERSON, "No person with that id is visible.")
        return person
    return await _new_person(session, given, typed_organization)


async def _new_person(
    session: AsyncSession, given: WalkIn, typed_organization: str | None
) -> Person:
    """Someone new is a guest of the hub (hub/domains/guests): no member rights until an admin
    attaches them to an organization, which staff see apart."""
    checks = InputChecks()
    cleaned: dict[str, Any] = {}
    checks.keep(cleaned, "name", lambda: valid.required_name("name", given.name, 200))
    checks.keep(cleaned, "email", lambda: _email(given.email))
    checks.raise_found()
    email = cleaned["email"] or f"{secrets.token_hex(8)}@{NO_EMAIL_DOMAIN}"
    if await session.scalar(select(Person.id).where(Person.email == email)) is not None:
        raise InputError(
            "email", Code.DUPLICATE_EMAIL, "Someone has this email: find them by name instead."
        )
    person = Person(
        name=cleaned["name"],
        email=email,
        is_guest=True,
        guest_organization_name=typed_organization,
    )
    session.add(person)
    await session.flush()
    return person


def _email(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    try:
        return directory_valid.email(value)
    except InputError as error:
        raise InputError("email", Code.INVALID_EMAIL, error.message) from error


async def _organization(session: AsyncSession, given: WalkIn) -> tuple[int | None, str | None]:
    """The organization picked, or the directory's (not archived) of the typed name, accents
    and case folded, else the typed name itself."""
    if given.organization_id is not None:
        if await session.get(Organization, given.organization_id) is None:
            raise InputError(
                "organizationId", Code.UNKNOWN_ORGANIZATION, "No organization has that id."
            )
        return given.organization_id, None
    typed = valid.optional_name("organizationName", given.organization_name, 200)
    if typed is None:
        return None, None
    statement = select(Organization.id).where(
        Organization.search_text == folded(typed), Organization.archived_at.is_(None)
    )
    organization_id = await session.scalar(statement.order_by(Organization.id).limit(1))
    return (organization_id, None) if organization_id is not None else (None, typed)


async def _only_organization(session: AsyncSession, person_id: int) -> int | None:
    """The organization a person of the directory comes for when the door names none: their
    only one, if they have just one."""
    statement = select(Affiliation.organization_id).where(Affiliation.person_id == person_id)
    found = list(await session.scalars(statement.limit(2)))
    return found[0] if len(found) == 1 else None


async def _rsvp_where(session: AsyncSession, *conditions: Any) -> Rsvp | None:
    statement = select(Rsvp).where(*conditions).execution_options(populate_existing=True)
    return await session.scalar(statement)


def _new_rsvp(session: AsyncSession, convening: Convening, person: Person) -> Rsvp:
    rsvp = Rsvp(
        convening_id=convening.id,
        person_id=person.id,
        status=RsvpStatus.NOT_GOING,
        accessibility=[],
        accessibility_note="",
        childcare_count=0,
        dietary="",
    )
    session.add(rsvp)
    return rsvp

"""The rules for people and their affiliations with organizations."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from hub.access.auth.viewer import Viewer
from hub.access.permissions import directory as rules
from hub.common.errors import InputChecks, InputError
from hub.domains.directory import validation
from hub.domains.directory.errors import DirectoryErrorCode as Code
from hub.infrastructure.models import Affiliation, Organization, Person
from hub.infrastructure.models.directory import AffiliationRole, Language


@dataclass(frozen=True)
class NewPerson:
    name: str
    email: str
    phone: str | None = None
    preferred_language: Language = Language.EN


@dataclass(frozen=True)
class PersonChanges:
    """What to set on a person; None keeps the value (give "" to clear the phone)."""

    name: str | None = None
    email: str | None = None
    phone: str | None = None
    preferred_language: Language | None = None


@dataclass(frozen=True)
class AffiliationChanges:
    """What to set on an affiliation; None keeps the value (give "" to clear a text)."""

    role: AffiliationRole | None = None
    title: str | None = None
    work_email: str | None = None
    work_phone: str | None = None


@dataclass(frozen=True)
class NewAffiliation:
    person_id: int
    organization_id: int
    role: AffiliationRole
    title: str | None = None
    work_email: str | None = None
    work_phone: str | None = None


def visible_people(viewer: Viewer) -> Select[Person]:
    return select(Person).where(rules.person_rows(viewer))


async def person_by_email(session: AsyncSession, email: str) -> Person | None:
    """For trusted callers (the CLI, sign-in): no viewer, no row rule."""
    return await session.scalar(select(Person).where(Person.email == email.strip().lower()))


async def create_person(session: AsyncSession, viewer: Viewer, new: NewPerson) -> Person:
    rules.require_admin(viewer)
    return await add_person(session, new)


async def add_person(session: AsyncSession, new: NewPerson) -> Person:
    """Adds a person without a permission check: for the CLI and demo loader only."""
    checks = InputChecks()
    cleaned: dict[str, Any] = {}
    checks.keep(cleaned, "name", lambda: validation.required_name("name", new.name, 200))
    checks.keep(cleaned, "email", lambda: validation.email(new.email))
    checks.keep(cleaned, "phone", lambda: validation.phone(new.phone))
    checks.raise_found()
    person = Person(**cleaned, preferred_language=new.preferred_language)
    if await person_by_email(session, person.email) is not None:
        raise _duplicate_email(person.email)
    try:
        async with session.begin_nested():
            session.add(person)
            await session.flush()
    except IntegrityError as error:
        raise _duplicate_email(person.email) from error
    return person


async def update_person(
    session: AsyncSession, viewer: Viewer, person_id: int, changes: PersonChanges
) -> Person:
    """Changes a listed person's name, email, phone or language, every mistake reported at once;
    the row is locked so simultaneous edits take turns."""
    rules.require_admin(viewer)
    person = await _listed_person(session, person_id, "id")
    checks = InputChecks()
    cleaned: dict[str, Any] = {}
    if changes.name is not None:
        checks.keep(
            cleaned, "name", lambda: validation.required_name("name", changes.name or "", 200)
        )
    if changes.email is not None:
        checks.keep(cleaned, "email", lambda: validation.email(changes.email or ""))
    if changes.phone is not None:
        checks.keep(cleaned, "phone", lambda: validation.phone(changes.phone))
    checks.raise_found()
    new_email = cleaned.get("email", person.email)
    if new_email != person.email and await person_by_email(session, new_email) is not None:
        raise _duplicate_email(new_email)
    for name, value in cleaned.items():
        setattr(person, name, value)
    if changes.preferred_language is not None:
        person.preferred_language = changes.preferred_language
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as error:
        raise _duplicate_email(person.email) from error
    return person


async def _listed_person(session: AsyncSession, person_id: int, field: str) -> Person:
    """The person's row, locked, unless removed or unknown (an InputError on `field`)."""
    person = await session.get(Person, person_id, with_for_update=True, populate_existing=True)
    if person is None or person.removed_at is not None:
        raise InputError(field, Code.UNKNOWN_PERSON, "No person has that id.")
    return person


async def update_affiliation(
    session: AsyncSession, viewer: Viewer, affiliation_id: int, changes: AffiliationChanges
) -> Affiliation:
    """Changes an affiliation's role, title or work contact details."""
    rules.require_admin(viewer)
    affiliation = await _affiliation(session, affiliation_id)
    checks = InputChecks()
    cleaned: dict[str, Any] = {}
    if changes.title is not None:
        checks.keep(cleaned, "title", lambda: validation.optional_text("title", changes.title, 200))
    if changes.work_email is not None:
        checks.keep(cleaned, "work_email", lambda: _work_email(changes.work_email))
    if changes.work_phone is not None:
        checks.keep(
            cleaned, "work_phone", lambda: validation.phone(changes.work_phone, "workPhone")
        )
    checks.raise_found()
    if changes.role is not None:
        cleaned["role"] = changes.role
    for name, value in cleaned.items():
        setattr(affiliation, name, value)
    await session.flush()
    return affiliation


async def end_affiliation(session: AsyncSession, viewer: Viewer, affiliation_id: int) -> int:
    """Ends a person's belonging to an organization (the row goes: what they answered for the
    organization keeps naming it). Returns the person's id."""
    rules.require_admin(viewer)
    affiliation = await _affiliation(session, affiliation_id)
    person_id = affiliation.person_id
    await session.delete(affiliation)
    await session.flush()
    return person_id


async def _affiliation(session: AsyncSession, affiliation_id: int) -> Affiliation:
    affiliation = await session.get(
        Affiliation, affiliation_id, with_for_update=True, populate_existing=True
    )
    if affiliation is None:
        raise InputError("id", Code.UNKNOWN_AFFILIATION, "No affiliation has that id.")
    return affiliation


def _work_email(value: str | None) -> str | None:
    return validation.email(value, "workEmail") if value and value.strip() else None


async def make_admin(session: AsyncSession, email: str, name: str) -> tuple[Person, bool]:
    """Creates or promotes an alliance admin (trusted callers only). Says whether it was new."""
    person = await person_by_email(session, email)
    created = person is None
    if person is None:
        person = await add_person(session, NewPerson(name=name, email=email))
    person.is_admin = True
    await session.flush()
    return person, created


async def add_affiliation(
    session: AsyncSession, viewer: Viewer, new: NewAffiliation
) -> Affiliation:
    rules.require_admin(viewer)
    person = await session.get(Person, new.person_id)
    if person is None or person.removed_at is not None:
        raise InputError("personId", Code.UNKNOWN_PERSON, "No person has that id.")
    organization = await session.get(Organization, new.organization_id)
    if organization is None or organization.archived_at is not None:
        raise InputError(
            "organizationId", Code.UNKNOWN_ORGANIZATION, "No organization has that id."
        )
    affiliation = Affiliation(
        person_id=new.person_id,
        organization_id=new.organization_id,
        role=new.role,
        title=validation.optional_text("title", new.title, 200),
        work_email=validation.email(new.work_email, "workEmail") if new.work_email else None,
        work_phone=validation.phone(new.work_phone, "workPhone"),
    )
    try:
        async with session.begin_nested():
            session.add(affiliation)
            await session.flush()
    except IntegrityError as error:
        raise InputError(
            "organizationId",
            Code.ALREADY_AFFILIATED,
            "This person is already affiliated with that organization.",
        ) from error
    return affiliation


async def update_my_preferences(
    session: AsyncSession, viewer: Viewer, *, preferred_language: Language
) -> Person:
    """The signed-in person's own preferences: there is no way to name anyone else."""
    rules.require_person(viewer)
    person = await session.get(Person, viewer.person_id, with_for_update=True)
    if person is None:
        raise InputError(None, Code.UNKNOWN_PERSON, "Your person record no longer exists.")
    person.preferred_language = preferred_language
    await session.flush()
    return person


def _duplicate_email(email: str) -> InputError:
    return InputError("email", Code.DUPLICATE_EMAIL, f"Someone already uses {email}.")

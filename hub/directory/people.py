"""The rules for people and their affiliations with organizations."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from hub.auth.viewer import Viewer
from hub.directory import validation
from hub.directory.errors import DirectoryErrorCode as Code
from hub.errors import InputChecks, InputError
from hub.models import Affiliation, Organization, Person
from hub.models.directory import AffiliationRole, Language
from hub.permissions import directory as rules


@dataclass(frozen=True)
class NewPerson:
    name: str
    email: str
    phone: str | None = None
    preferred_language: Language = Language.EN


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
    if await session.get(Person, new.person_id) is None:
        raise InputError("personId", Code.UNKNOWN_PERSON, "No person has that id.")
    if await session.get(Organization, new.organization_id) is None:
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

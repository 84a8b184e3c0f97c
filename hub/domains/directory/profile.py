"""A signed-in person's own profile: their name, phone and language, and which categories of
email they get (hub/delivery/email/preferences). There is no way to name anyone else; bad input
changes nothing."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hub.access.auth.viewer import Viewer
from hub.access.permissions import directory as rules
from hub.common.errors import InputChecks, InputError
from hub.common.unset import UNSET, Maybe, is_set
from hub.delivery.email import preferences
from hub.delivery.email.preferences import EmailCategory
from hub.domains.directory import validation
from hub.domains.directory.errors import DirectoryErrorCode as Code
from hub.infrastructure.models import Person
from hub.infrastructure.models.directory import Language


@dataclass(frozen=True)
class ProfileChange:
    """Only what is given changes."""

    name: Maybe[str] = UNSET
    phone: Maybe[str | None] = UNSET
    preferred_language: Maybe[Language] = UNSET
    email_categories: Maybe[Collection[EmailCategory]] = UNSET


async def update_my_profile(session: AsyncSession, viewer: Viewer, change: ProfileChange) -> Person:
    rules.require_person(viewer)
    assert viewer.person_id is not None
    cleaned = _checked(change)
    person = await session.get(Person, viewer.person_id, with_for_update=True)
    if person is None:
        raise InputError(None, Code.UNKNOWN_PERSON, "Your person record no longer exists.")
    for attribute, value in cleaned.items():
        setattr(person, attribute, value)
    if is_set(change.email_categories):
        await preferences.choose(session, person.id, change.email_categories)  # type: ignore[arg-type]
    await session.flush()
    return person


def _checked(change: ProfileChange) -> dict[str, Any]:
    """The new values, or every mistake in them at once."""
    checks = InputChecks()
    cleaned: dict[str, Any] = {}
    if is_set(change.name):
        name = str(change.name)
        checks.keep(cleaned, "name", lambda: validation.required_name("name", name, 200))
    if is_set(change.phone):
        phone = change.phone
        checks.keep(cleaned, "phone", lambda: validation.phone(phone or None))  # type: ignore[arg-type]
    if is_set(change.preferred_language):
        cleaned["preferred_language"] = change.preferred_language
    checks.raise_found()
    return cleaned


async def email_categories(session: AsyncSession, viewer: Viewer) -> list[EmailCategory] | None:
    """The categories the viewer gets; None for a viewer who is not a person."""
    if viewer.person_id is None:
        return None
    stopped = await preferences.stopped_categories(session, viewer.person_id)
    return [category for category in EmailCategory if category not in stopped]

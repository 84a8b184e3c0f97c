"""An admin attaches a guest to an organization: an affiliation like any other (the
directory's own rule and checks), and the person stops being a guest."""

from __future__ import annotations

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.access.auth.viewer import Viewer
from hub.access.permissions import directory as rules
from hub.common.errors import InputError
from hub.domains.directory import people
from hub.domains.guests.errors import GuestErrorCode as Code
from hub.infrastructure.models import Person
from hub.infrastructure.models.directory import AffiliationRole


def require_may_attach(viewer: Viewer) -> None:
    rules.require_admin(viewer)


def guests(viewer: Viewer) -> Select[Person]:
    """The guests, for admins: people who came in through a guest RSVP, not yet attached."""
    require_may_attach(viewer)
    return people.visible_people(viewer).where(Person.is_guest)


async def attach_guest(
    session: AsyncSession,
    viewer: Viewer,
    *,
    person_id: int,
    organization_id: int,
    role: AffiliationRole,
) -> Person:
    require_may_attach(viewer)
    person = await session.get(Person, person_id, with_for_update=True)
    if person is None:
        raise InputError("personId", Code.UNKNOWN_PERSON, "No person has that id.")
    if not person.is_guest:
        raise InputError("personId", Code.NOT_A_GUEST, "This person is not a guest.")
    new = people.NewAffiliation(person_id=person_id, organization_id=organization_id, role=role)
    await people.add_affiliation(session, viewer, new)
    person.is_guest = False
    await session.flush()
    return person

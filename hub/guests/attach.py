"""An admin attaches a guest to an organization: an affiliation like any other (the
directory's own rule and checks), and the person stops being a guest."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from hub.auth.viewer import Viewer
from hub.directory import people
from hub.errors import InputError
from hub.guests.errors import GuestErrorCode as Code
from hub.models import Person
from hub.models.directory import AffiliationRole
from hub.permissions import directory as rules


def require_may_attach(viewer: Viewer) -> None:
    rules.require_admin(viewer)


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

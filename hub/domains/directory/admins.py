"""Alliance admins: granting and taking away admin rights. The last admin cannot be taken
away, even when two admins remove each other at the same moment, and every change is audited."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.access.auth.errors import CredentialErrorCode
from hub.common.errors import InputError
from hub.domains.directory.people import person_by_email
from hub.infrastructure.audit import record_audit
from hub.infrastructure.models import Person

GRANTED = "admin.granted"
REVOKED = "admin.revoked"


async def grant_admin(
    session: AsyncSession, email: str, *, actor_id: int | None, now: datetime
) -> Person:
    person = await _person(session, email)
    if person.is_admin:
        raise InputError(
            "email", CredentialErrorCode.ALREADY_ADMIN, f"{person.email} is an admin already."
        )
    person.is_admin = True
    await session.flush()
    await record_audit(session, action=GRANTED, actor_id=actor_id, detail=_named(person), now=now)
    return person


async def revoke_admin(
    session: AsyncSession, email: str, *, actor_id: int | None, now: datetime
) -> Person:
    """Takes away the person's admin rights, unless they are the last admin. Every admin's row
    is locked first (in id order), so simultaneous removals take turns and the second counts
    what the first left. (SQLite serializes writers with BEGIN IMMEDIATE already.)"""
    admins = list(
        await session.scalars(
            select(Person).where(Person.is_admin).order_by(Person.id).with_for_update()
        )
    )
    person = await _person(session, email)
    if person.id not in {admin.id for admin in admins}:
        raise InputError("email", CredentialErrorCode.NOT_ADMIN, f"{person.email} is not an admin.")
    if len(admins) == 1:
        message = "The hub needs an admin: make someone else an admin first."
        raise InputError("email", CredentialErrorCode.LAST_ADMIN, message)
    person.is_admin = False
    await session.flush()
    await record_audit(session, action=REVOKED, actor_id=actor_id, detail=_named(person), now=now)
    return person


async def admins(session: AsyncSession) -> list[Person]:
    return list(
        await session.scalars(
            select(Person).where(Person.is_admin).order_by(Person.name, Person.id)
        )
    )


async def _person(session: AsyncSession, email: str) -> Person:
    person = await person_by_email(session, email.strip())
    if person is None:
        raise InputError(
            "email", CredentialErrorCode.NOT_FOUND, "Nobody in the hub has that email."
        )
    return person


def _named(person: Person) -> str:
    return f"{person.name} <{person.email}> (person {person.id})"

"""Admin rights: `hub admin remove`, the last admin kept even when two admins remove each
other at once, every change audited; and `hub token` making a personal access token."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from hub.common.errors import InputError
from hub.domains.directory.admins import revoke_admin
from hub.infrastructure.db import transaction
from hub.infrastructure.models import AuditEvent, Person, PersonalAccessToken
from hub.infrastructure.models.base import utcnow
from tests.auth.test_client_command import hub
from tests.factories import create_admin, create_person


async def admin_emails(session) -> list[str]:
    emails = list(await session.scalars(select(Person.email).where(Person.is_admin)))
    await session.commit()
    return sorted(emails)


async def audit_trail(session) -> list[tuple[str, int | None, str]]:
    rows = await session.execute(
        select(AuditEvent.action, AuditEvent.actor_id, AuditEvent.detail).order_by(AuditEvent.id)
    )
    trail = [tuple(row) for row in rows]
    await session.commit()
    return trail  # type: ignore[return-value]


async def test_admin_remove_takes_away_rights_but_never_the_last_admins(session, database_url, app):
    # Given two admins
    await create_admin(session, name="Ana", email="ana@example.org")
    bea = await create_admin(session, name="Bea", email="bea@example.org")
    bea_id = bea.id
    await session.commit()

    # When the operator removes one, then the other, then someone unknown
    first = await hub(database_url, "admin", "remove", "BEA@example.org")
    last = await hub(database_url, "admin", "remove", "ana@example.org")
    unknown = await hub(database_url, "admin", "remove", "nobody@example.org")

    # Then the first goes, audited; the last admin and the unknown address are refused
    assert first == (0, "Bea <bea@example.org> is no longer an alliance admin.\n", "")
    assert last == (
        2,
        "",
        "Error: The hub needs an admin: make someone else an admin first.\n",
    )
    assert unknown == (2, "", "Error: Nobody in the hub has that email.\n")
    assert await admin_emails(session) == ["ana@example.org"]
    assert await audit_trail(session) == [
        ("admin.revoked", None, f"Bea <bea@example.org> (person {bea_id})")
    ]


async def test_two_admins_removing_each_other_at_once_leave_one(session, runtime):
    # Given exactly two admins
    ana = await create_admin(session, email="ana@example.org")
    bea = await create_admin(session, email="bea@example.org")
    ids = {"ana@example.org": bea.id, "bea@example.org": ana.id}
    await session.commit()

    # When each removes the other at the same moment
    async def remove(email: str) -> str:
        try:
            async with transaction(runtime.sessions) as unit:
                await revoke_admin(unit, email, actor_id=ids[email], now=utcnow())
        except InputError as error:
            return str(error.code)
        return "removed"

    outcomes = await asyncio.gather(remove("ana@example.org"), remove("bea@example.org"))

    # Then one removal went through and the other was refused: one admin is left
    assert sorted(outcomes) == ["LAST_ADMIN", "removed"]
    assert len(await admin_emails(session)) == 1
    assert [action for action, _, _ in await audit_trail(session)] == ["admin.revoked"]


async def test_hub_token_makes_a_personal_access_token(session, database_url, app, gql):
    # Given a person
    await create_person(session, name="Ana", email="ana@example.org")
    await session.commit()

    # When the operator makes a read-only token for them
    code, out, err = await hub(
        database_url, "token", "ana@example.org", "--read-only", "--days", "3"
    )

    # Then it is a stored, hashed token that reads as them and may not write
    assert (code, err) == (0, "")
    secret = out.strip()
    assert secret.startswith("hub_pat_")
    stored = (await session.scalars(select(PersonalAccessToken))).one()
    await session.commit()
    assert (stored.name, stored.scope) == ("Made with hub token", "read")
    assert secret not in stored.token_hash
    assert (await gql("{ viewer { name } }", token=secret))["data"] == {"viewer": {"name": "Ana"}}
    refused = await gql("mutation { signOutEverywhere(input: {}) { sessionsEnded } }", token=secret)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"

"""API clients: registering, listing and revoking them, and the viewer a client's token becomes.

Trusted callers only (the `hub client` command, and the admins' mutations once they checked
their viewer): these functions check no viewer. What an admin does is audited here.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.access.auth.client_secrets import hash_secret, new_client_id, new_secret
from hub.access.auth.scopes import SCOPES, unknown_scopes
from hub.access.auth.tokens import InvalidToken
from hub.access.auth.viewer import Viewer
from hub.common.errors import InputChecks, InputError
from hub.infrastructure import request_keys
from hub.infrastructure.audit import record_audit
from hub.infrastructure.driver import RowReader, session_reader
from hub.infrastructure.models import ApiClient, Organization
from hub.infrastructure.models.base import utcnow


class ClientErrorCode(enum.StrEnum):
    UNKNOWN_ORGANIZATION = "UNKNOWN_ORGANIZATION"
    UNKNOWN_SCOPE = "UNKNOWN_SCOPE"
    SCOPE_REQUIRED = "SCOPE_REQUIRED"
    UNKNOWN_CLIENT = "UNKNOWN_CLIENT"
    ALREADY_REVOKED = "ALREADY_REVOKED"
    NAME_REQUIRED = "NAME_REQUIRED"
    NAME_TOO_LONG = "NAME_TOO_LONG"
    DUPLICATE_REQUEST = "DUPLICATE_REQUEST"


CREATED = "API_CLIENT_CREATED"
REVOKED = "API_CLIENT_REVOKED"
MAX_NAME = 200


@dataclass(frozen=True)
class RegisteredClient:
    """A new client and its secret: the only moment the secret exists outside the caller."""

    client: ApiClient
    secret: str


async def register_client(
    session: AsyncSession, name: str, organization_slug: str, scopes: Iterable[str]
) -> RegisteredClient:
    wanted = frozenset(scopes)
    _check_scopes(wanted)
    organization_id = await session.scalar(
        select(Organization.id).where(Organization.slug == organization_slug.strip().lower())
    )
    if organization_id is None:
        raise InputError(
            "org",
            ClientErrorCode.UNKNOWN_ORGANIZATION,
            f"No organization has the slug {organization_slug!r}.",
        )
    checks = InputChecks()
    cleaned = _checked_name(name, checks)
    checks.raise_found()
    return await _register(session, cleaned, organization_id, wanted)


@dataclass(frozen=True)
class NewClient:
    """What an admin asks for: the form's fields as given."""

    name: str
    organization_id: int | None
    scopes: frozenset[str]
    request_key: str | None = None


async def create_client(
    session: AsyncSession, new: NewClient, *, actor_id: int | None, now: datetime
) -> RegisteredClient:
    """Registers a client for an admin, every mistake reported at once, and audits it; a second
    create with the same request key creates nothing."""
    checks = InputChecks()
    name = _checked_name(new.name, checks)
    checks.keep({}, "scopes", lambda: _check_scopes(new.scopes, "scopes"))
    organization = await _organization(session, new.organization_id, checks)
    checks.raise_found()
    assert organization is not None
    await request_keys.claim(session, new.request_key, code=ClientErrorCode.DUPLICATE_REQUEST)
    registered = await _register(session, name, organization.id, new.scopes)
    detail = f"{registered.client.client_id} {name} for {organization.slug}: {_listed(new.scopes)}"
    await record_audit(session, action=CREATED, actor_id=actor_id, detail=detail, now=now)
    return registered


def _checked_name(name: str, checks: InputChecks) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        checks.refuse(InputError("name", ClientErrorCode.NAME_REQUIRED, "Name the client."))
    elif len(cleaned) > MAX_NAME or not cleaned.isprintable():
        message = f"Keep the name under {MAX_NAME} characters."
        checks.refuse(InputError("name", ClientErrorCode.NAME_TOO_LONG, message))
    return cleaned


async def _organization(
    session: AsyncSession, organization_id: int | None, checks: InputChecks
) -> Organization | None:
    found = None
    if organization_id is not None:
        found = await session.scalar(select(Organization).where(Organization.id == organization_id))
    if found is None:
        message = "Choose the organization the client acts for."
        checks.refuse(InputError("organization", ClientErrorCode.UNKNOWN_ORGANIZATION, message))
    return found


async def _register(
    session: AsyncSession, name: str, organization_id: int, scopes: frozenset[str]
) -> RegisteredClient:
    secret = new_secret()
    client = ApiClient(
        client_id=new_client_id(),
        name=name,
        organization_id=organization_id,
        secret_hash=hash_secret(secret),
        scopes=sorted(scopes),
    )
    session.add(client)
    await session.flush()
    return RegisteredClient(client=client, secret=secret)


def _listed(scopes: Iterable[str]) -> str:
    return " ".join(sorted(scopes))


def _check_scopes(scopes: frozenset[str], field: str = "scope") -> None:
    if not scopes:
        known = ", ".join(SCOPES)
        raise InputError(field, ClientErrorCode.SCOPE_REQUIRED, f"Give a scope: {known}.")
    if unknown := unknown_scopes(scopes):
        known = ", ".join(SCOPES)
        raise InputError(
            field,
            ClientErrorCode.UNKNOWN_SCOPE,
            f"Unknown scope {', '.join(unknown)}; the scopes are: {known}.",
        )


async def list_clients(session: AsyncSession) -> list[tuple[ApiClient, str]]:
    """Every client with its organization's slug, oldest first."""
    statement = (
        select(ApiClient, Organization.slug)
        .join(Organization, Organization.id == ApiClient.organization_id)
        .order_by(ApiClient.id)
    )
    return [(client, slug) for client, slug in (await session.execute(statement)).all()]


async def client_by_client_id(session: AsyncSession, client_id: str) -> ApiClient | None:
    return await session.scalar(select(ApiClient).where(ApiClient.client_id == client_id))


async def revoke_client(session: AsyncSession, client_id: str) -> ApiClient:
    """Revokes at once: every token already issued stops working on its next use."""
    statement = select(ApiClient).where(ApiClient.client_id == client_id).with_for_update()
    client = await session.scalar(statement)
    if client is None:
        raise InputError("id", ClientErrorCode.UNKNOWN_CLIENT, f"No client has the id {client_id}.")
    if client.revoked_at is not None:
        raise InputError(
            "id", ClientErrorCode.ALREADY_REVOKED, f"The client {client_id} is already revoked."
        )
    client.revoked_at = utcnow()
    await session.flush()
    return client


async def revoke_client_by_admin(
    session: AsyncSession, client_pk: int, *, actor_id: int | None, now: datetime
) -> ApiClient:
    """`revoke_client`, for an admin: audited."""
    client_id = await session.scalar(select(ApiClient.client_id).where(ApiClient.id == client_pk))
    if client_id is None:
        raise InputError("id", ClientErrorCode.UNKNOWN_CLIENT, "No API client has that id.")
    client = await revoke_client(session, client_id)
    detail = f"{client.client_id} {client.name}"
    await record_audit(session, action=REVOKED, actor_id=actor_id, detail=detail, now=now)
    return client


def all_clients() -> Select[ApiClient]:
    return select(ApiClient)


async def load_client_viewer(
    session: AsyncSession, client_id: str, granted: frozenset[str]
) -> Viewer:
    return await read_client_viewer(session_reader(session), client_id, granted)


async def read_client_viewer(read: RowReader, client_id: str, granted: frozenset[str]) -> Viewer:
    """The viewer for a client's token, checked against the client as it is now, so a
    revocation (or a scope taken away) takes effect on the very next request."""
    rows = await read(CLIENT_FACTS, {"client_id": client_id})
    return client_viewer_from_facts(client_id, rows, granted)


def client_viewer_from_facts(
    client_id: str, rows: Sequence[Sequence[Any]], granted: frozenset[str]
) -> Viewer:
    """The viewer from CLIENT_FACTS' rows; InvalidToken for a client gone or revoked."""
    if not rows:
        raise InvalidToken("The token's API client no longer exists.")
    organization_id, scopes, revoked_at = rows[0]
    if revoked_at is not None:
        raise InvalidToken("This API client has been revoked; its tokens no longer work.")
    return Viewer(
        client_id=client_id,
        client_organization_id=organization_id,
        scopes=granted & frozenset(scopes),
    )


CLIENT_FACTS = select(ApiClient.organization_id, ApiClient.scopes, ApiClient.revoked_at).where(
    ApiClient.client_id == bindparam("client_id")
)

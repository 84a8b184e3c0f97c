"""API clients: registering, listing and revoking them, and the viewer a client's token becomes.

Trusted callers only (the `hub client` command): these functions check no viewer.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.auth.client_secrets import hash_secret, new_client_id, new_secret
from hub.auth.scopes import SCOPES, unknown_scopes
from hub.auth.tokens import InvalidToken
from hub.auth.viewer import Viewer
from hub.directory import validation
from hub.driver import RowReader, session_reader
from hub.errors import InputError
from hub.models import ApiClient, Organization
from hub.models.base import utcnow


class ClientErrorCode(enum.StrEnum):
    UNKNOWN_ORGANIZATION = "UNKNOWN_ORGANIZATION"
    UNKNOWN_SCOPE = "UNKNOWN_SCOPE"
    SCOPE_REQUIRED = "SCOPE_REQUIRED"
    UNKNOWN_CLIENT = "UNKNOWN_CLIENT"
    ALREADY_REVOKED = "ALREADY_REVOKED"


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
    secret = new_secret()
    client = ApiClient(
        client_id=new_client_id(),
        name=validation.required_text("name", name, 200),
        organization_id=organization_id,
        secret_hash=hash_secret(secret),
        scopes=sorted(wanted),
    )
    session.add(client)
    await session.flush()
    return RegisteredClient(client=client, secret=secret)


def _check_scopes(scopes: frozenset[str]) -> None:
    if not scopes:
        known = ", ".join(SCOPES)
        raise InputError("scope", ClientErrorCode.SCOPE_REQUIRED, f"Give a scope: {known}.")
    if unknown := unknown_scopes(scopes):
        known = ", ".join(SCOPES)
        raise InputError(
            "scope",
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

"""Arranging API clients for tests through the real registration service and token endpoint."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.applications import Starlette

from hub.access.auth.clients import RegisteredClient, register_client
from hub.infrastructure.models import ApiClient
from hub.infrastructure.models.directory import OrganizationKind
from tests.factories import create_organization

TOKEN_URL = "/oauth/token"


async def register_peer(
    session: AsyncSession, scopes: tuple[str, ...] = ("peer:read",), name: str = "Florida Peer"
) -> RegisteredClient:
    """A PEER organization and its API client, committed."""
    peer = await create_organization(session, name=name, kind=OrganizationKind.PEER, state="FL")
    registered = await register_client(session, f"{name} sync", peer.slug, scopes)
    await session.commit()
    return registered


@asynccontextmanager
async def https_client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """The token endpoint requires TLS (RFC 6749 §2.3.1), as a proxy in front would give it."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="https://hub.test") as client:
        yield client


def basic_auth(client_id: str, secret: str) -> dict[str, str]:
    credentials = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {credentials}"}


async def ask_for_token(
    http: httpx.AsyncClient, client_id: str, secret: str, **form: str
) -> httpx.Response:
    """A token request with HTTP Basic credentials; the grant is client_credentials unless
    `form` says otherwise."""
    data = {"grant_type": "client_credentials", **form}
    return await http.post(TOKEN_URL, data=data, headers=basic_auth(client_id, secret))


async def fetch_token(http: httpx.AsyncClient, registered: RegisteredClient, **form: str) -> str:
    response = await ask_for_token(http, registered.client.client_id, registered.secret, **form)
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


async def client_rows(session: AsyncSession) -> list[tuple[object, ...]]:
    """Every client row's state, to show that a refused call changed nothing."""
    statement = select(
        ApiClient.client_id, ApiClient.secret_hash, ApiClient.revoked_at, ApiClient.updated_at
    ).order_by(ApiClient.id)
    rows = [tuple(row) for row in (await session.execute(statement)).all()]
    await session.commit()  # ends the read, so the app's writers are not kept waiting
    return rows

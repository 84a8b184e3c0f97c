"""The request's viewer, from its `Authorization: Bearer` header (hub/access/auth/bearer.py)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import HTTPConnection

from hub.access.auth import bearer
from hub.access.auth.tokens import TokenSigner
from hub.access.auth.viewer import ANONYMOUS, Viewer
from hub.infrastructure.driver import RowReader, session_reader


def bearer_token(connection: HTTPConnection) -> str | None:
    return bearer.bearer_token(connection.headers.get("authorization"))


async def authenticate(
    connection: HTTPConnection, session: AsyncSession, signer: TokenSigner
) -> Viewer:
    return await authenticate_with(connection, session_reader(session), signer)


async def authenticate_with(
    connection: HTTPConnection, read: RowReader, signer: TokenSigner
) -> Viewer:
    """The viewer, or InvalidToken with the reason the caller is told."""
    claims = bearer.bearer_claims(connection.headers.get("authorization"), signer)
    return ANONYMOUS if claims is None else await bearer.viewer_of(claims, read)

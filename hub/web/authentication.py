"""Turning an `Authorization: Bearer` header into the request's viewer: a person's token or
an API client's access token from /oauth/token."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import HTTPConnection

from hub.auth.clients import read_client_viewer
from hub.auth.tokens import InvalidToken, TokenClaims, TokenSigner
from hub.auth.viewer import ANONYMOUS, Viewer, read_person_viewer
from hub.driver import RowReader, session_reader


def bearer_token(connection: HTTPConnection) -> str | None:
    header = connection.headers.get("authorization")
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise InvalidToken("Send the token as `Authorization: Bearer <token>`.")
    return token.strip()


async def authenticate(
    connection: HTTPConnection, session: AsyncSession, signer: TokenSigner
) -> Viewer:
    return await authenticate_with(connection, session_reader(session), signer)


async def authenticate_with(
    connection: HTTPConnection, read: RowReader, signer: TokenSigner
) -> Viewer:
    """The viewer, or InvalidToken with the reason the caller is told."""
    claims = bearer_claims(connection, signer)
    return ANONYMOUS if claims is None else await viewer_of(claims, read)


def bearer_claims(connection: HTTPConnection, signer: TokenSigner) -> TokenClaims | None:
    """The verified claims of the request's token, None without one, InvalidToken if bad."""
    token = bearer_token(connection)
    return None if token is None else signer.verify(token)


async def viewer_of(claims: TokenClaims, read: RowReader) -> Viewer:
    if claims.client_id is not None:
        return await read_client_viewer(read, claims.client_id, claims.scopes)
    if claims.person_id is None:
        raise InvalidToken("The token is not valid for this hub.")
    viewer = await read_person_viewer(read, claims.person_id, claims.issued_at)
    if viewer is None:
        raise InvalidToken("The token's person no longer exists.")
    return viewer

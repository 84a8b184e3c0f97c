"""Turning an `Authorization: Bearer` header into the request's viewer: a person's token or
an API client's access token from /oauth/token."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import HTTPConnection

from hub.auth.clients import load_client_viewer
from hub.auth.tokens import InvalidToken, TokenClaims, TokenSigner
from hub.auth.viewer import ANONYMOUS, Viewer, load_person_viewer


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
    token = bearer_token(connection)
    if token is None:
        return ANONYMOUS
    claims = signer.verify(token)
    if claims.client_id is not None:
        return await load_client_viewer(session, claims.client_id, claims.scopes)
    return await _person_viewer(session, claims)


async def _person_viewer(session: AsyncSession, claims: TokenClaims) -> Viewer:
    if claims.person_id is None:
        raise InvalidToken("The token is not valid for this hub.")
    viewer = await load_person_viewer(session, claims.person_id)
    if viewer is None:
        raise InvalidToken("The token's person no longer exists.")
    return viewer

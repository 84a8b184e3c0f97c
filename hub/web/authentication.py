"""Turning an `Authorization: Bearer` header into the request's viewer: a person's personal
access token (`hub_pat_…`) or an API client's access token from /oauth/token."""

from __future__ import annotations

import time

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import HTTPConnection

from hub.auth.clients import read_client_viewer
from hub.auth.personal_tokens import is_personal_token, personal_token_claims
from hub.auth.tokens import InvalidToken, TokenClaims, TokenSigner
from hub.auth.viewer import (
    ANONYMOUS,
    PERSONAL_TOKEN_FACTS,
    Viewer,
    personal_viewer_from_facts,
    read_person_viewer,
)
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
    if token is None:
        return None
    return personal_token_claims(token) if is_personal_token(token) else signer.verify(token)


async def viewer_of(claims: TokenClaims, read: RowReader) -> Viewer:
    if claims.client_id is not None:
        return await read_client_viewer(read, claims.client_id, claims.scopes)
    token_hash = claims.personal_token_hash
    if token_hash is not None:
        facts = await read(PERSONAL_TOKEN_FACTS, {"token_hash": token_hash})
        return personal_viewer_from_facts(token_hash, facts, int(time.time()))
    if claims.person_id is None:
        raise InvalidToken("The token is not valid for this hub.")
    viewer = await read_person_viewer(read, claims.person_id, claims.issued_at)
    if viewer is None:
        raise InvalidToken("The token's person no longer exists.")
    return viewer

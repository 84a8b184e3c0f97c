"""Turning an `Authorization: Bearer` header into the viewer: a person's personal access token
(`hub_pat_…`) or an API client's access token from /oauth/token. Both read paths use it: the
web layer hands it the header, the compiled path its own connection."""

from __future__ import annotations

import time

from hub.access.auth.clients import read_client_viewer
from hub.access.auth.personal_tokens import is_personal_token, personal_token_claims
from hub.access.auth.tokens import InvalidToken, TokenClaims, TokenSigner
from hub.access.auth.viewer import (
    PERSONAL_TOKEN_FACTS,
    Viewer,
    personal_viewer_from_facts,
    read_person_viewer,
)
from hub.infrastructure.driver import RowReader


def bearer_token(authorization: str | None) -> str | None:
    """The token an `Authorization` header carries; None without the header."""
    if authorization is None:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise InvalidToken("Send the token as `Authorization: Bearer <token>`.")
    return token.strip()


def bearer_claims(authorization: str | None, signer: TokenSigner) -> TokenClaims | None:
    """The verified claims of the header's token, None without one, InvalidToken if bad."""
    token = bearer_token(authorization)
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

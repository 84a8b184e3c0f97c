"""`POST /oauth/token`: the client-credentials grant and RFC 6749 §5.2 error answers."""

from __future__ import annotations

import base64
import json

import pytest

from hub.access.auth.clients import revoke_client
from tests.auth.peers import (
    TOKEN_URL,
    ask_for_token,
    basic_auth,
    client_rows,
    https_client,
    register_peer,
)


@pytest.fixture
async def https(app):
    async with https_client(app) as client:
        yield client


# The same answer for a wrong secret and an unknown client: neither says which was wrong.
INVALID_CLIENT = {
    "error": "invalid_client",
    "error_description": "The client cannot authenticate with methods: "
    "['client_secret_basic', 'client_secret_post']",
}


def claims_of(token: str) -> dict[str, object]:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


async def test_issues_a_token_to_a_client_authenticating_with_basic(session, https, settings):
    # Given a registered peer client
    peer = await register_peer(session)

    # When it asks for a token with HTTP Basic credentials
    response = await ask_for_token(https, peer.client.client_id, peer.secret)

    # Then it gets a short-lived bearer JWT for itself and its scopes
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == settings.client_token_lifetime_seconds == 3600
    assert body["scope"] == "peer:read"
    claims = claims_of(body["access_token"])
    assert claims["sub"] == f"client:{peer.client.client_id}"
    assert claims["scope"] == "peer:read"
    assert claims["exp"] - claims["iat"] == 3600


async def test_issues_a_token_to_a_client_posting_its_secret(session, https):
    peer = await register_peer(session)

    response = await https.post(
        TOKEN_URL,
        data={
            "grant_type": "client_credentials",
            "client_id": peer.client.client_id,
            "client_secret": peer.secret,
            "scope": "peer:read",
        },
    )

    assert response.status_code == 200
    assert claims_of(response.json()["access_token"])["sub"] == f"client:{peer.client.client_id}"


async def test_a_wrong_secret_is_invalid_client(session, https):
    peer = await register_peer(session)
    before = await client_rows(session)

    response = await ask_for_token(https, peer.client.client_id, "not-the-secret")

    assert response.status_code == 401
    assert response.json() == INVALID_CLIENT
    assert response.headers["www-authenticate"].startswith('Basic error="invalid_client"')
    assert await client_rows(session) == before


@pytest.mark.parametrize("method", ["basic", "post"])
async def test_an_unknown_client_is_invalid_client(session, https, method):
    await register_peer(session)
    before = await client_rows(session)
    form = {"grant_type": "client_credentials"}
    headers = {}
    if method == "basic":
        headers = basic_auth("hc_made_up", "whatever")
    else:
        form.update(client_id="hc_made_up", client_secret="whatever")

    response = await https.post(TOKEN_URL, data=form, headers=headers)

    assert response.status_code == 401
    assert response.json() == INVALID_CLIENT
    assert response.headers["www-authenticate"].startswith('Basic error="invalid_client"')
    assert await client_rows(session) == before


async def test_an_unsupported_grant_type_is_refused(session, https):
    peer = await register_peer(session)
    before = await client_rows(session)

    response = await ask_for_token(
        https, peer.client.client_id, peer.secret, grant_type="password", username="a"
    )

    assert response.status_code == 400
    assert response.json() == {
        "error": "unsupported_grant_type",
        "error_description": "Only grant_type=client_credentials is supported here.",
    }
    assert await client_rows(session) == before


@pytest.mark.parametrize("scope", ["admin", "peer:read peer:write", 'peer:"read\\'])
async def test_a_scope_the_client_does_not_hold_is_invalid_scope(session, https, scope):
    peer = await register_peer(session)
    before = await client_rows(session)

    response = await ask_for_token(https, peer.client.client_id, peer.secret, scope=scope)

    assert response.status_code == 400
    assert response.json() == {
        "error": "invalid_scope",
        "error_description": "This client may ask only for: peer:read.",
    }
    assert await client_rows(session) == before


async def test_a_revoked_client_gets_no_token(session, https):
    peer = await register_peer(session)
    await revoke_client(session, peer.client.client_id)
    await session.commit()

    response = await ask_for_token(https, peer.client.client_id, peer.secret)

    assert response.status_code == 401
    assert response.json() == INVALID_CLIENT


async def test_plain_http_is_refused(session, http):
    # The `http` fixture talks to http://hub.test: not TLS, not loopback.
    peer = await register_peer(session)

    response = await ask_for_token(http, peer.client.client_id, peer.secret)

    assert response.status_code == 400
    assert response.json()["error"] == "insecure_transport"

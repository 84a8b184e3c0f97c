"""OpenID Connect providers for the sign-in tests, each a real HTTP server on a free local
port: the PyPI package oidc-provider-mock (a complete provider, in a thread), and a small
provider of our own that issues deliberately broken ID tokens (tampered, for another
audience, expired, signed with a key it never published), which no honest provider does."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

import httpx
import uvicorn
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from tests.infrastructure.served import free_port


@contextmanager
def mock_provider() -> Iterator[str]:
    """oidc-provider-mock in a process of its own (its Authlib server code warns of
    deprecations, which this suite's warnings-are-errors would turn into failures in a
    thread); yields its issuer URL. It takes any client id and secret, and wants a nonce."""
    port = free_port()
    command = [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--require-nonce"]
    environment = {**os.environ, "PYTHONWARNINGS": "ignore::DeprecationWarning"}
    process = subprocess.Popen(
        command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    issuer = f"http://127.0.0.1:{port}"
    try:
        _wait_for(f"{issuer}/.well-known/openid-configuration", process)
        yield issuer
    finally:
        process.terminate()
        process.wait(10)


def _wait_for(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(url).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.05)
    raise AssertionError(f"the OpenID provider did not start at {url}")


async def remember_at_mock(issuer: str, claims: dict[str, Any]) -> None:
    """Tells the mock the claims of the subject `claims["sub"]`."""
    async with httpx.AsyncClient() as client:
        stored = await client.put(f"{issuer}/users/{quote(claims['sub'])}", json=claims)
    assert stored.status_code == 204, stored.text


async def approve_at_mock(issuer: str, authorization_url: str, claims: dict[str, Any]) -> str:
    """Signs in at the mock as the subject `claims["sub"]` with these claims, as a person
    would on its form; returns where the provider sends the browser back (the callback)."""
    await remember_at_mock(issuer, claims)
    async with httpx.AsyncClient() as client:
        approved = await client.post(authorization_url, data={"sub": claims["sub"]})
    assert approved.status_code == 302, approved.text
    return approved.headers["location"]


DEFECTS = ("tampered", "wrong_audience", "wrong_nonce", "expired", "unpublished_key")


@dataclass
class Grant:
    client_id: str
    redirect_uri: str
    nonce: str
    code_challenge: str
    claims: dict[str, Any]
    defect: str | None


@dataclass
class BrokenTokenProvider:
    """Discovery, JWKS, an authorization endpoint that approves at once (as whoever the test
    named last) and a token endpoint that checks the client's secret, the code (once) and
    the PKCE verifier, then issues the ID token with the defect the test asked for."""

    client_secret: str
    port: int = field(default_factory=free_port)
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, {"kid": "published"}))
    grants: dict[str, Grant] = field(default_factory=dict)
    next_claims: dict[str, Any] = field(default_factory=dict)
    next_defect: str | None = None

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def sign_in_next_as(self, claims: dict[str, Any], defect: str | None) -> None:
        assert defect is None or defect in DEFECTS
        self.next_claims, self.next_defect = claims, defect

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/.well-known/openid-configuration", self.discovery),
                Route("/jwks", self.jwks),
                Route("/authorize", self.authorize),
                Route("/token", self.token, methods=["POST"]),
            ]
        )

    async def discovery(self, request: Request) -> Response:
        return JSONResponse(
            {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token",
                "jwks_uri": f"{self.issuer}/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
            }
        )

    async def jwks(self, request: Request) -> Response:
        return JSONResponse(KeySet([self.key]).as_dict(private=False))

    async def authorize(self, request: Request) -> Response:
        asked = request.query_params
        assert asked["response_type"] == "code" and asked["code_challenge_method"] == "S256"
        code = secrets.token_urlsafe(16)
        self.grants[code] = Grant(
            client_id=asked["client_id"],
            redirect_uri=asked["redirect_uri"],
            nonce=asked["nonce"],
            code_challenge=asked["code_challenge"],
            claims=self.next_claims,
            defect=self.next_defect,
        )
        back = {"code": code, "state": asked["state"]}
        return RedirectResponse(f"{asked['redirect_uri']}?{urlencode(back)}", status_code=302)

    async def token(self, request: Request) -> Response:
        form = await request.form()
        grant = self.grants.pop(str(form.get("code")), None)
        if grant is None or not self._client_authenticated(request, grant):
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        verifier = str(form.get("code_verifier") or "")
        if (
            _s256(verifier) != grant.code_challenge
            or form.get("redirect_uri") != grant.redirect_uri
        ):
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        return JSONResponse(
            {
                "access_token": secrets.token_urlsafe(16),
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": self._id_token(grant),
            }
        )

    def _client_authenticated(self, request: Request, grant: Grant) -> bool:
        expected = f"{grant.client_id}:{self.client_secret}".encode()
        given = request.headers.get("authorization", "")
        return given == "Basic " + base64.b64encode(expected).decode()

    def _id_token(self, grant: Grant) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": grant.client_id,
            "iat": now,
            "exp": now + 300,
            "nonce": grant.nonce,
            **grant.claims,
        }
        if grant.defect == "wrong_audience":
            claims["aud"] = "another-client"
        if grant.defect == "wrong_nonce":
            claims["nonce"] = "a-nonce-of-another-sign-in"
        if grant.defect == "expired":
            claims["iat"], claims["exp"] = now - 3600, now - 1800
        key = self.key
        if grant.defect == "unpublished_key":
            key = RSAKey.generate_key(2048, {"kid": "published"})
        token = jwt.encode({"alg": "RS256", "kid": "published"}, claims, key)
        if grant.defect == "tampered":
            token = _with_claims(token, {**claims, "email": "staff@example.org"})
        return token


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _with_claims(token: str, claims: dict[str, Any]) -> str:
    """The same header and signature over other claims: what an attacker who edits a token
    in transit sends."""
    header, _, signature = token.split(".")
    payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{payload}.{signature}"


@contextmanager
def broken_token_provider(client_secret: str) -> Iterator[BrokenTokenProvider]:
    """Served by uvicorn in a thread of its own, stopped when the block ends."""
    provider = BrokenTokenProvider(client_secret)
    config = uvicorn.Config(
        provider.app(), host="127.0.0.1", port=provider.port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the test provider did not start"
        time.sleep(0.02)
    try:
        yield provider
    finally:
        server.should_exit = True
        thread.join(10)

"""The OAuth 2.0 token endpoint's logic: Authlib's AuthorizationServer with the
client-credentials grant (RFC 6749 §4.4), adapted to plain request and response values.

Authlib's server is synchronous, so the client a request names is loaded (asynchronously)
before the server runs, and the server runs in a worker thread: checking a secret is a
deliberately slow scrypt hash that must not stall the event loop. The web layer turns a
Starlette request into a `TokenHttpRequest`, passing its headers unchanged (Authlib reads
`Authorization` by its canonical name; Starlette's headers match it case-insensitively).
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from authlib.oauth2 import AuthorizationServer, OAuth2Request
from authlib.oauth2.rfc6749 import ClientMixin
from authlib.oauth2.rfc6749.errors import (
    InsecureTransportError,
    InvalidClientError,
    InvalidScopeError,
    OAuth2Error,
    UnsupportedGrantTypeError,
)
from authlib.oauth2.rfc6749.grants import ClientCredentialsGrant
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload
from authlib.oauth2.rfc6749.util import extract_basic_authorization, scope_to_list
from sqlalchemy.ext.asyncio import AsyncSession

from hub.access.auth.client_secrets import hash_secret, new_secret, secret_matches
from hub.access.auth.clients import client_by_client_id
from hub.access.auth.scopes import SCOPES
from hub.access.auth.tokens import TokenSigner

CLIENT_CREDENTIALS = "client_credentials"
AUTH_METHODS = ("client_secret_basic", "client_secret_post")


@dataclass(frozen=True)
class TokenHttpRequest:
    method: str
    url: str
    headers: Mapping[str, str]
    form: dict[str, str]


@dataclass(frozen=True)
class TokenHttpResponse:
    status_code: int
    body: dict[str, Any]
    headers: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class OAuthClient(ClientMixin):  # type: ignore[misc]
    """A snapshot of an active API client, as Authlib's grant needs it."""

    client_id: str
    scopes: frozenset[str]
    secret_hash: str

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> None:
        return None

    def get_allowed_scope(self, scope: str | None) -> str:
        requested = scope_to_list(scope) or sorted(self.scopes)
        return " ".join(s for s in requested if s in self.scopes)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return False

    def check_client_secret(self, client_secret: str) -> bool:
        return secret_matches(self.secret_hash, client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in AUTH_METHODS

    def check_response_type(self, response_type: str) -> bool:
        return False

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == CLIENT_CREDENTIALS


class FormRequest(OAuth2Request):  # type: ignore[misc]
    def __init__(self, request: TokenHttpRequest) -> None:
        super().__init__(method=request.method, uri=request.url, headers=request.headers)
        self._form = request.form
        self.payload = BasicOAuth2Payload(request.form)

    @property
    def form(self) -> dict[str, str]:
        return self._form

    @property
    def args(self) -> dict[str, str]:
        return {}


class HubClientCredentialsGrant(ClientCredentialsGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS = list(AUTH_METHODS)

    def validate_requested_scope(self) -> None:
        """A client may ask for any of its own scopes; none asked means all of them."""
        requested = set(scope_to_list(self.request.payload.scope) or [])
        if not requested <= self.client.scopes:
            # Names only the client's own scopes: the request's text may hold characters an
            # error description must not (RFC 6749 §5.2).
            allowed = " ".join(sorted(self.client.scopes))
            raise InvalidScopeError(f"This client may ask only for: {allowed}.")


class HubAuthorizationServer(AuthorizationServer):  # type: ignore[misc]
    """One per token request: it knows only the client that request claims to be."""

    def __init__(
        self, signer: TokenSigner, lifetime_seconds: int, claimed: OAuthClient | None
    ) -> None:
        super().__init__(scopes_supported=list(SCOPES))
        self._signer = signer
        self._lifetime_seconds = lifetime_seconds
        self._claimed = claimed
        self.register_grant(HubClientCredentialsGrant)
        self.register_token_generator("default", self._access_token)

    def query_client(self, client_id: str) -> OAuthClient:
        claimed = self._claimed
        if claimed is not None and claimed.client_id == client_id:
            return claimed
        # An unknown (or revoked) client is checked against a decoy that matches no secret:
        # the same slow hash, the same answer, so neither timing nor words tell it apart.
        return OAuthClient(client_id=client_id, scopes=frozenset(), secret_hash=_decoy_hash())

    def save_token(self, token: dict[str, Any], request: OAuth2Request) -> None:
        # Access tokens are self-contained JWTs: nothing to store. Revocation is checked
        # against the client's row whenever a token is used.
        return None

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        return None

    def create_oauth2_request(self, request: TokenHttpRequest) -> OAuth2Request:
        return FormRequest(request)

    def handle_response(
        self, status: int, body: dict[str, Any], headers: list[tuple[str, str]]
    ) -> TokenHttpResponse:
        return TokenHttpResponse(status_code=status, body=dict(body), headers=list(headers))

    def handle_error_response(self, request: Any, error: OAuth2Error) -> TokenHttpResponse:
        if isinstance(error, InvalidClientError):
            # Answer every failed client authentication alike (RFC 6749 §5.2 allows 401 with
            # WWW-Authenticate), so a caller cannot tell which of id or secret was wrong.
            error.status_code = 401
        if isinstance(error, UnsupportedGrantTypeError):
            error.description = f"Only grant_type={CLIENT_CREDENTIALS} is supported here."
        return super().handle_error_response(request, error)  # type: ignore[no-any-return]

    def respond(self, request: TokenHttpRequest) -> TokenHttpResponse:
        try:
            return self.create_token_response(request)  # type: ignore[no-any-return]
        except InsecureTransportError as error:
            return self.handle_error_response(None, error)

    def _access_token(self, *, client: OAuthClient, scope: str | None, **_: Any) -> dict[str, Any]:
        granted = frozenset(client.get_allowed_scope(scope).split())
        subject = f"client:{client.client_id}"
        return {
            "access_token": self._signer.issue(subject, self._lifetime_seconds, granted),
            "token_type": "Bearer",
            "expires_in": self._lifetime_seconds,
            "scope": " ".join(sorted(granted)),
        }


@functools.cache
def _decoy_hash() -> str:
    return hash_secret(new_secret())


def claimed_client_id(request: TokenHttpRequest) -> str | None:
    """The client id a token request names, in the Authorization header or the form."""
    basic_id, _ = extract_basic_authorization(request.headers)
    return basic_id or request.form.get("client_id") or None


async def load_claimed_client(
    session: AsyncSession, request: TokenHttpRequest
) -> OAuthClient | None:
    """The active client the request names; a revoked one is as unknown as a made-up id."""
    client_id = claimed_client_id(request)
    if client_id is None:
        return None
    row = await client_by_client_id(session, client_id)
    if row is None or row.revoked_at is not None:
        return None
    return OAuthClient(
        client_id=row.client_id, scopes=frozenset(row.scopes), secret_hash=row.secret_hash
    )


async def token_response(
    request: TokenHttpRequest,
    claimed: OAuthClient | None,
    signer: TokenSigner,
    lifetime_seconds: int,
) -> TokenHttpResponse:
    server = HubAuthorizationServer(signer, lifetime_seconds, claimed)
    return await asyncio.to_thread(server.respond, request)

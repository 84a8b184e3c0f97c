"""Signing in through an OpenID Connect provider, with Authlib's Starlette client: the
sign-in page's button links here, the hub sends the browser to the provider (authorization
code, PKCE S256, state and nonce), and the provider sends it back to the callback, where the
ID token is verified against the provider's keys and its verified address names the person."""

from __future__ import annotations

import hashlib
import hmac
import logging
from typing import Any

import httpx2
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.starlette_client import OAuth, StarletteOAuth2App
from joserfc.errors import JoseError
from starlette.middleware.sessions import SessionMiddleware
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route, Router
from starlette.types import ASGIApp, Receive, Scope, Send

from hub.access.auth.secret import signing_secret
from hub.domains.signin.links import SignedIn
from hub.domains.signin.oidc import OidcRefusal, sign_in_by_claims
from hub.infrastructure.config import OidcProvider, Settings
from hub.infrastructure.db import transaction
from hub.infrastructure.models.base import utcnow
from hub.interfaces.runtime import Runtime
from hub.interfaces.web.pages.language import set_language_cookie
from hub.interfaces.web.pages.page import Page, page_endpoint
from hub.interfaces.web.pages.signin import SIGNED_IN
from hub.interfaces.web.pages.signin import next_path as local_path

FLOW_PATH = "/signin/oidc"
# The flow's own cookie: Authlib's state, nonce and PKCE verifier for one sign-in under way,
# and where to return. Client-held, so any hub process may receive the callback.
FLOW_COOKIE = "hub_oidc"
FLOW_LIFETIME_SECONDS = 600
SCOPES = "openid email profile"
# What goes wrong between the hub and the provider: a state that is not this browser's, a
# code refused (used already, or expired), an ID token that fails verification, a provider
# that cannot be reached or answers nonsense (Authlib raises RuntimeError for discovery
# without the endpoints it needs).
FLOW_ERRORS = (AuthlibBaseError, JoseError, httpx2.HTTPError, ValueError, RuntimeError)
log = logging.getLogger(__name__)


def oidc_routes() -> list[BaseRoute]:
    flow = Router(
        routes=[
            # A link, not a form: the pages' policy (form-action 'self') would stop a form
            # whose answer redirects to the provider. Starting a sign-in changes nothing.
            Route("/{provider}", start, methods=["GET"]),
            Route("/{provider}/callback", callback, methods=["GET"]),
        ]
    )
    return [Mount(FLOW_PATH, app=FlowSession(flow))]


class FlowSession:
    """Starlette's SessionMiddleware around the flow's two routes only, keyed (once the
    runtime holds the hub's secret) with a key derived from it for this use alone."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.middleware: SessionMiddleware | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.middleware is None:
            self.middleware = await self._session_middleware(scope["app"].state.runtime)
        await self.middleware(scope, receive, send)

    async def _session_middleware(self, runtime: Runtime) -> SessionMiddleware:
        async with transaction(runtime.sessions) as session:
            secret = await signing_secret(session, runtime.settings.secret_key)
        return SessionMiddleware(
            self.app,
            secret_key=hmac.new(secret.encode(), b"hub-oidc-flow", hashlib.sha256).hexdigest(),
            session_cookie=FLOW_COOKIE,
            max_age=FLOW_LIFETIME_SECONDS,
            path=FLOW_PATH,
            same_site="lax",
            https_only=runtime.settings.base_url.startswith("https://"),
        )


def oidc_clients(settings: Settings) -> OAuth:
    oauth = OAuth()
    for provider in settings.oidc_providers:
        oauth.register(
            provider.name,
            client_id=provider.client_id,
            client_secret=provider.client_secret,
            server_metadata_url=provider.metadata_url,
            client_kwargs={"scope": SCOPES, "code_challenge_method": "S256", "timeout": 10},
        )
    return oauth


def _client(page: Page, provider: OidcProvider) -> StarletteOAuth2App:
    state = page.request.app.state
    if getattr(state, "oidc_clients", None) is None:
        state.oidc_clients = oidc_clients(page.runtime.settings)
    return state.oidc_clients.create_client(provider.name)  # type: ignore[no-any-return]


def callback_url(settings: Settings, provider: OidcProvider) -> str:
    """The redirect URI to register with the provider."""
    return f"{settings.base_url}{FLOW_PATH}/{provider.name}/callback"


@page_endpoint
async def start(page: Page) -> Response:
    provider = _provider(page)
    if provider is None:
        return await page.render("refused.html", 404, reason="not_found")
    client, request = _client(page, provider), page.request
    redirect_uri = callback_url(page.runtime.settings, provider)
    try:
        authorization = await client.create_authorization_url(redirect_uri)
    except FLOW_ERRORS:
        log.warning("OpenID Connect provider %s unreachable", provider.name, exc_info=True)
        return await _refused(page, provider, "UNREACHABLE", 502)
    # One sign-in under way per browser: starting another abandons the last.
    request.session.clear()
    await client.save_authorize_data(request, redirect_uri=redirect_uri, **authorization)
    request.session["next"] = local_path(request.query_params.get("next"))
    return RedirectResponse(authorization["url"], status_code=302)


@page_endpoint
async def callback(page: Page) -> Response:
    provider = _provider(page)
    if provider is None:
        return await page.render("refused.html", 404, reason="not_found")
    next_path = local_path(page.request.session.get("next"))
    try:
        claims = await _verified_claims(page, provider)
    except FLOW_ERRORS as error:
        log.info("OpenID Connect sign-in through %s refused: %r", provider.name, error)
        # The person said no at the provider: nothing went wrong.
        cancelled = getattr(error, "error", None) == "access_denied"
        return await _refused(page, provider, "CANCELLED" if cancelled else "FAILED", 400)
    finally:
        # Whatever the outcome, this flow is over: its cookie goes.
        page.request.session.clear()
    async with transaction(page.runtime.sessions) as session:
        outcome = await sign_in_by_claims(session, provider, claims, utcnow())
    if isinstance(outcome, OidcRefusal):
        return await _refused(page, provider, outcome, 403, email=claims.get("email"))
    return await _signed_in(page, outcome, provider, next_path)


async def _verified_claims(page: Page, provider: OidcProvider) -> dict[str, Any]:
    """The ID token's claims, once Authlib has checked the state against this browser's
    flow cookie, exchanged the code with the PKCE verifier, and verified the token's
    signature (the provider's JWKS), issuer, audience, expiry and nonce."""
    options = {
        "iss": {"essential": True, "value": provider.issuer},
        "aud": {"essential": True, "value": provider.client_id},
    }
    client = _client(page, provider)
    token = await client.authorize_access_token(page.request, claims_options=options)
    claims = token.get("userinfo")
    if not claims:
        raise ValueError("the provider sent no ID token")
    return dict(claims)


async def _signed_in(
    page: Page, signed_in: SignedIn, provider: OidcProvider, next_path: str
) -> Response:
    # A server-held session that remembers the provider it came through.
    page.session.sign_in(signed_in.person_id, provider.name)
    response = await page.redirect(next_path, status=SIGNED_IN)
    set_language_cookie(response, signed_in.language)
    return response


async def _refused(
    page: Page, provider: OidcProvider, reason: str, status_code: int, email: object = None
) -> Response:
    return await page.render(
        "signin_refused.html",
        status_code,
        reason=reason,
        provider=provider,
        email=email if isinstance(email, str) else None,
        domains=", ".join(sorted(provider.domains)),
    )


def _provider(page: Page) -> OidcProvider | None:
    return page.runtime.settings.oidc_provider(str(page.request.path_params["provider"]))

"""The page session: a signed cookie (HttpOnly, SameSite=Lax, Secure behind HTTPS) holding the
secret of the reader's session held by the server (hub/domains/signin/sessions.py), the CSRF token
and a one-time status message. Who is signed in is the server's to say: the cookie only names a
session row, which a sign-out ends for good."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

from hub.access.auth.secret import signing_secret
from hub.domains.signin.sessions import (
    EMAIL_PROVIDER,
    end_session,
    lifetimes_of,
    live_session,
    open_session,
)
from hub.infrastructure.config import Settings
from hub.infrastructure.db import transaction
from hub.infrastructure.models.base import utcnow
from hub.interfaces.runtime import Runtime

SESSION_COOKIE = "hub_session"


@dataclass
class PageSession:
    # The server-held session's secret, and the person it signs in (read from its row).
    secret: str | None = None
    person_id: int | None = None
    # The row's id, to tell this browser apart in the list of a person's sessions.
    session_id: int | None = None
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    flash: str | None = None
    changed: bool = True
    # A sign-in or sign-out asked for, carried out when the cookie is written.
    opening: tuple[int, str] | None = None
    ending: str | None = None

    def sign_in(self, person_id: int, provider: str = EMAIL_PROVIDER) -> None:
        """Opens a new server-held session for the person when the response is written."""
        self._end_current()
        self.opening = (person_id, provider)
        self.person_id = person_id
        self._renew_csrf()

    def signed_in_as(self, secret: str, person_id: int) -> None:
        """Holds a session already opened with `open_session` (in the caller's transaction)."""
        self._end_current()
        self.secret, self.person_id = secret, person_id
        self._renew_csrf()

    def sign_out(self) -> None:
        self._end_current()
        self.person_id = None
        self._renew_csrf()

    def _end_current(self) -> None:
        if self.secret is not None:
            self.ending = self.secret
        self.secret, self.opening = None, None

    def _renew_csrf(self) -> None:
        # A new CSRF token with every change of person: no token outlives its session.
        self.csrf, self.changed = secrets.token_urlsafe(24), True

    def set_flash(self, message: str | None) -> None:
        self.flash, self.changed = message, True

    def take_flash(self) -> str | None:
        message = self.flash
        if message is not None:
            self.set_flash(None)
        return message

    def to_json(self) -> dict[str, Any]:
        return {"s": self.secret, "c": self.csrf, "f": self.flash}


async def _serializer(request: Request) -> URLSafeTimedSerializer:
    """Keyed by the hub's signing secret, read once per process."""
    state = request.app.state
    if getattr(state, "page_secret", None) is None:
        runtime: Runtime = state.runtime
        async with runtime.sessions() as session:
            state.page_secret = await signing_secret(session, runtime.settings.secret_key)
            await session.commit()
    return URLSafeTimedSerializer(state.page_secret, salt="hub-page-session")


async def read_session(request: Request) -> PageSession:
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return PageSession()
    runtime: Runtime = request.app.state.runtime
    lifetimes = lifetimes_of(runtime.settings)
    try:
        serializer = await _serializer(request)
        data = serializer.loads(cookie, max_age=int(lifetimes.absolute.total_seconds()))
    except BadSignature:
        return PageSession()
    page_session = PageSession(csrf=data["c"], flash=data["f"], changed=False)
    secret = data.get("s")
    if isinstance(secret, str):
        async with transaction(runtime.sessions) as session:
            live = await live_session(session, secret, now=utcnow(), lifetimes=lifetimes)
        if live is None:
            page_session.changed = True  # forget the dead secret: the next cookie goes without
        else:
            page_session.secret, page_session.person_id = secret, live.person_id
            page_session.session_id = live.id
    return page_session


async def write_session(request: Request, response: Response, page_session: PageSession) -> None:
    if not page_session.changed:
        return
    runtime: Runtime = request.app.state.runtime
    await _carry_out_sign_in_and_out(request, runtime, page_session)
    set_session_cookie(
        response,
        (await _serializer(request)).dumps(page_session.to_json()),
        runtime.settings,
    )


async def _carry_out_sign_in_and_out(
    request: Request, runtime: Runtime, page_session: PageSession
) -> None:
    if page_session.ending is None and page_session.opening is None:
        return
    async with transaction(runtime.sessions) as session:
        if page_session.ending is not None:
            await end_session(session, page_session.ending, utcnow())
        if page_session.opening is not None:
            person_id, provider = page_session.opening
            page_session.secret = await open_session(
                session,
                person_id=person_id,
                provider=provider,
                user_agent=request.headers.get("user-agent"),
                now=utcnow(),
            )
    page_session.ending = page_session.opening = None


async def start_session_cookie(
    request: Request, response: Response, page_session: PageSession, *, secret: str, person_id: int
) -> None:
    """Sets the cookie of a session opened with `hub.domains.signin.sessions.open_session` on the
    response (the page's own session, its CSRF token renewed, ends if it was signed in)."""
    page_session.signed_in_as(secret, person_id)
    await write_session(request, response, page_session)


def set_session_cookie(response: Response, value: str, settings: Settings) -> None:
    """The one `hub_session` cookie of the response: a value set earlier is replaced."""
    response.raw_headers = [
        (name, header)
        for name, header in response.raw_headers
        if not (name == b"set-cookie" and header.startswith(f"{SESSION_COOKIE}=".encode()))
    ]
    response.set_cookie(
        SESSION_COOKIE,
        value,
        max_age=int(lifetimes_of(settings).absolute.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=settings.base_url.startswith("https://"),
    )

"""The page session: a signed cookie (HttpOnly, SameSite=Lax, Secure behind HTTPS) holding the
signed-in person, the CSRF token and a one-time status message."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

from hub.auth.secret import signing_secret
from hub.runtime import Runtime

SESSION_COOKIE = "hub_session"
SESSION_MAX_AGE = 14 * 24 * 3600


@dataclass
class PageSession:
    person_id: int | None = None
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    flash: str | None = None
    changed: bool = True

    def sign_in(self, person_id: int) -> None:
        # A new CSRF token with every change of person: no token outlives its session.
        self.person_id, self.csrf, self.changed = person_id, secrets.token_urlsafe(24), True

    def sign_out(self) -> None:
        self.person_id, self.csrf, self.changed = None, secrets.token_urlsafe(24), True

    def set_flash(self, message: str | None) -> None:
        self.flash, self.changed = message, True

    def take_flash(self) -> str | None:
        message = self.flash
        if message is not None:
            self.set_flash(None)
        return message

    def to_json(self) -> dict[str, Any]:
        return {"p": self.person_id, "c": self.csrf, "f": self.flash}


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
    try:
        data = (await _serializer(request)).loads(cookie, max_age=SESSION_MAX_AGE)
    except BadSignature:
        return PageSession()
    return PageSession(person_id=data["p"], csrf=data["c"], flash=data["f"], changed=False)


async def write_session(request: Request, response: Response, page_session: PageSession) -> None:
    if not page_session.changed:
        return
    runtime: Runtime = request.app.state.runtime
    response.set_cookie(
        SESSION_COOKIE,
        (await _serializer(request)).dumps(page_session.to_json()),
        max_age=SESSION_MAX_AGE,
        httponly=True,
        samesite="lax",
        secure=runtime.settings.base_url.startswith("https://"),
    )

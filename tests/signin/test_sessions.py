"""Sessions held by the server: a signed-out cookie is dead, whoever kept a copy of it."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

import httpx
from sqlalchemy import select, update
from starlette.applications import Starlette

from hub.app import create_app
from hub.infrastructure.models import SignInSession
from hub.infrastructure.models.base import utcnow
from hub.interfaces.runtime import Runtime
from tests.factories import create_person
from tests.frontend.over_http import csrf_of, sign_in_over_http


def browser(app: Starlette) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app)
    return httpx.AsyncClient(transport=transport, base_url="http://hub.test")


async def test_a_copied_cookie_no_longer_opens_my_page_after_sign_out(
    app: Starlette, session, runtime: Runtime
):
    # Given a person signed in, and a copy of their session cookie kept elsewhere
    person = await create_person(session, email="ana@example.org")
    await session.commit()
    async with browser(app) as signed_in, browser(app) as thief:
        await sign_in_over_http(signed_in, runtime, person)
        thief.cookies.set("hub_session", signed_in.cookies["hub_session"], domain="hub.test")
        assert (await thief.get("/me")).status_code == 200

        # When the person signs out
        me = await signed_in.get("/me")
        out = await signed_in.post("/signout", data={"csrf_token": csrf_of(me)})
        assert out.status_code == 303

        # Then the copy opens nothing: /me sends it to sign in
        answer = await thief.get("/me")
        assert answer.status_code == 303
        assert answer.headers["location"].startswith("/signin?next=")


@asynccontextmanager
async def signed_in_browser(
    app: Starlette, session, runtime: Runtime, email: str
) -> AsyncIterator[httpx.AsyncClient]:
    person = await create_person(session, email=email)
    await session.commit()
    async with browser(app) as client:
        await sign_in_over_http(client, runtime, person)
        yield client


async def set_session_times(session, **values) -> None:
    await session.execute(update(SignInSession).values(**values))
    await session.commit()


async def session_row(session) -> SignInSession:
    row = (await session.scalars(select(SignInSession))).one()
    await session.commit()
    return row


async def test_a_session_ends_when_idle_too_long_and_when_too_old(app, session, runtime, settings):
    idle = timedelta(hours=settings.session_idle_hours)
    absolute = timedelta(days=settings.session_absolute_days)
    async with signed_in_browser(app, session, runtime, "ana@example.org") as ana:
        # Given a session seen just within its idle lifetime: it still opens /me
        await set_session_times(session, last_seen_at=utcnow() - idle + timedelta(minutes=1))
        assert (await ana.get("/me")).status_code == 200

        # When it is left unused past its idle lifetime, it no longer does
        await set_session_times(session, last_seen_at=utcnow() - idle - timedelta(minutes=1))
        assert (await ana.get("/me")).status_code == 303

    async with signed_in_browser(app, session, runtime, "bea@example.org") as bea:
        # And a session in use all along ends when it is older than its absolute lifetime
        await set_session_times(session, created_at=utcnow() - absolute - timedelta(minutes=1))
        assert (await bea.get("/me")).status_code == 303


async def test_last_seen_is_written_at_most_once_a_minute(app, session, runtime):
    async with signed_in_browser(app, session, runtime, "ana@example.org") as ana:
        # Given a session last seen 30 seconds ago: a page view leaves it as it is
        half_a_minute_ago = utcnow() - timedelta(seconds=30)
        await set_session_times(session, last_seen_at=half_a_minute_ago)
        await ana.get("/me")
        assert (await session_row(session)).last_seen_at == half_a_minute_ago

        # When it was last seen two minutes ago, the next page view writes the time
        await set_session_times(session, last_seen_at=utcnow() - timedelta(minutes=2))
        before = utcnow()
        await ana.get("/me")
        assert before <= (await session_row(session)).last_seen_at <= utcnow()


async def test_signing_in_again_in_a_browser_ends_its_previous_session(app, session, runtime):
    # Given a browser signed in as Ana, and a copy of its cookie
    async with signed_in_browser(app, session, runtime, "ana@example.org") as shared:
        anas_cookie = shared.cookies["hub_session"]
        bea = await create_person(session, email="bea@example.org")
        await session.commit()

        # When Bea signs in in the same browser
        await sign_in_over_http(shared, runtime, bea)

    # Then Ana's session is over: her old cookie opens nothing, and the row says why
    async with browser(app) as copy:
        copy.cookies.set("hub_session", anas_cookie, domain="hub.test")
        assert (await copy.get("/me")).status_code == 303
    reasons = list(
        await session.scalars(select(SignInSession.end_reason).order_by(SignInSession.id))
    )
    await session.commit()
    assert reasons == ["signed_out", None]


async def test_the_cookie_is_http_only_lax_and_secure_behind_https(app, settings):
    async with browser(app) as plain_http:
        over_http = (await plain_http.get("/signin")).headers["set-cookie"]
    secure_app = create_app(dataclasses.replace(settings, base_url="https://hub.test"))
    async with secure_app.router.lifespan_context(secure_app):
        transport = httpx.ASGITransport(app=secure_app)
        async with httpx.AsyncClient(transport=transport, base_url="https://hub.test") as client:
            over_https = (await client.get("/signin")).headers["set-cookie"]
    for header in (over_http, over_https):
        attributes = {part.strip().split("=")[0].lower() for part in header.split(";")}
        assert {"httponly", "samesite"} <= attributes
        assert "samesite=lax" in header.lower()
    assert "secure" not in over_http.lower()
    assert "; secure" in over_https.lower()

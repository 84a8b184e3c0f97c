"""Sessions held by the server: a signed-out cookie is dead, whoever kept a copy of it."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette

from hub.runtime import Runtime
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

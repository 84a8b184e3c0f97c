"""My tokens on /me, and the admins' page, over HTTP through the app as a browser would."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import httpx
from sqlalchemy import func, select

from hub.access.auth.personal_tokens import READ, make_personal_token
from hub.infrastructure.models import AuditEvent, Person, PersonalAccessToken
from tests.factories import create_admin, create_person
from tests.frontend.over_http import csrf_of, plain, read, sign_in_over_http

SECRET = re.compile(r'id="token-secret" readonly value="(hub_pat_[^"]+)"')


async def token_count(session) -> int:
    count = await session.scalar(select(func.count()).select_from(PersonalAccessToken))
    await session.commit()
    return int(count or 0)


async def test_a_token_made_on_my_page_is_shown_once_then_listed_and_revocable(
    session, runtime, http, gql
):
    # Given a signed-in person on their page
    person = await create_person(session, name="Ana", email="ana@example.org")
    await session.commit()
    await sign_in_over_http(http, runtime, person)
    me = await http.get("/me")

    # When they make a read-and-write token
    expires = (date.today() + timedelta(days=30)).isoformat()
    form = {
        "csrf_token": csrf_of(me),
        "name": "  CRM sync ",
        "scope": "write",
        "expiresOn": expires,
    }
    made = await http.post("/me/tokens", data=form)

    # Then the page shows the token once; it works; the next view lists it without the secret
    assert made.status_code == 200
    secret = SECRET.search(made.text).group(1)
    assert (await gql("{ viewer { name } }", token=secret))["data"] == {"viewer": {"name": "Ana"}}
    again = await http.get("/me")
    assert secret not in again.text
    assert "CRM sync" in again.text and "read and write" in plain(again.text)

    # And when they revoke it there, it stops working at once
    found = re.findall(r"action=\"/me/tokens/([^\"/]+)/revoke\"", again.text)
    [token_id] = found
    revoked = await http.post(f"/me/tokens/{token_id}/revoke", data={"csrf_token": csrf_of(again)})
    assert revoked.status_code == 303
    refused = await gql.post("{ viewer { name } }", token=secret)
    assert refused.status_code == 401


async def test_bad_token_forms_say_what_is_wrong_and_make_nothing(session, runtime, http):
    # Given a signed-in person
    person = await create_person(session, email="ana@example.org")
    await session.commit()
    await sign_in_over_http(http, runtime, person)
    me = await http.get("/me")
    csrf = csrf_of(me)
    # Two days back: the day ends in the reader's zone, up to a day behind UTC.
    two_days_ago = (date.today() - timedelta(days=2)).isoformat()
    next_month = (date.today() + timedelta(days=30)).isoformat()

    # When they send an empty name, an expiry in the past, no date, and a forged form
    cases = {
        "empty name": (
            {"name": " ", "scope": "read", "expiresOn": next_month},
            422,
            "Fill this in.",
        ),
        "past expiry": (
            {"name": "x", "scope": "read", "expiresOn": two_days_ago},
            422,
            "Choose an expiry date in the future.",
        ),
        "no date": ({"name": "x", "scope": "read", "expiresOn": ""}, 422, "Fill this in."),
    }
    for name, (fields, status, message) in cases.items():
        answer = await http.post("/me/tokens", data={"csrf_token": csrf, **fields})
        assert (answer.status_code, message in plain(answer.text)) == (status, True), name
    forged = await http.post(
        "/me/tokens", data={"name": "x", "scope": "read", "expiresOn": next_month}
    )
    unknown = await http.post("/me/tokens/UGVyc29uOjE/revoke", data={"csrf_token": csrf})

    # Then each is refused with its reason, and no token exists
    assert forged.status_code == 403
    assert unknown.status_code == 404
    assert await token_count(session) == 0


async def test_the_admins_page_grants_and_takes_away_rights_in_spanish(session, runtime, http):
    # Given an admin reading the hub in Spanish, and a person who is not an admin
    admin = await create_admin(session, name="Ana", email="ana@example.org")
    await create_person(session, name="Bea", email="bea@example.org")
    admin_id = admin.id
    await session.commit()
    await sign_in_over_http(http, runtime, admin)
    page = await read(http, "/admins", language="es")
    assert page.status_code == 200
    assert "Hacer administrador a alguien" in plain(page.text)

    # When they make Bea an admin, then try to take away the last... and Bea's, then their own
    granted = await http.post(
        "/admins/grant", data={"csrf_token": csrf_of(page), "email": "bea@example.org"}
    )
    unknown = await http.post(
        "/admins/grant", data={"csrf_token": csrf_of(page), "email": "zoe@example.org"}
    )
    taken = await http.post(
        "/admins/revoke", data={"csrf_token": csrf_of(page), "email": "bea@example.org"}
    )
    last = await http.post(
        "/admins/revoke", data={"csrf_token": csrf_of(page), "email": "ana@example.org"}
    )

    # Then Bea came and went, the unknown address and the last admin were refused in Spanish
    assert (granted.status_code, taken.status_code) == (303, 303)
    assert unknown.status_code == 422
    assert "Nadie en el hub tiene ese correo electrónico." in plain(unknown.text)
    assert last.status_code == 422
    assert "El hub necesita un administrador" in plain(last.text)
    admins = list(await session.scalars(select(Person.email).where(Person.is_admin)))
    trail = list(await session.execute(select(AuditEvent.action, AuditEvent.actor_id)))
    await session.commit()
    assert admins == ["ana@example.org"]
    assert [tuple(row) for row in trail] == [
        ("admin.granted", admin_id),
        ("admin.revoked", admin_id),
    ]


async def test_the_admins_page_is_for_admins_only(session, runtime, http):
    person = await create_person(session, email="ana@example.org")
    await session.commit()
    anonymous = await http.get("/admins")
    await sign_in_over_http(http, runtime, person)
    refused = await http.get("/admins")
    assert (anonymous.status_code, anonymous.headers["location"]) == (303, "/signin?next=/admins")
    assert refused.status_code == 403


async def test_an_admin_ends_someones_sessions_and_tokens_from_the_admins_page(
    session, runtime, app, http, gql
):
    # Given Bea signed in in her browser with a token, and an admin on the admins' page
    admin = await create_admin(session, email="ana@example.org")
    bea = await create_person(session, name="Bea", email="bea@example.org")
    now = datetime.now(UTC)
    made = await make_personal_token(
        session,
        person_id=bea.id,
        name="x",
        scopes=frozenset({READ}),
        expires_at=now + timedelta(days=1),
        now=now,
    )
    await session.commit()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as beas:
        await sign_in_over_http(beas, runtime, bea)
        assert (await beas.get("/me")).status_code == 200
        await sign_in_over_http(http, runtime, admin)
        page = await http.get("/admins")

        # When the admin ends Bea's sessions and tokens, and then an unknown person's
        data = {"csrf_token": csrf_of(page), "email": "bea@example.org"}
        ended = await http.post("/admins/signout-everywhere", data=data)
        unknown = await http.post(
            "/admins/signout-everywhere", data={**data, "email": "zoe@example.org"}
        )

        # Then Bea's browser is signed out and her token refused; the unknown one is named
        assert ended.status_code == 303
        assert (await beas.get("/me")).status_code == 303
    assert (await gql.post("{ viewer { id } }", token=made.secret)).status_code == 401
    assert unknown.status_code == 422
    assert "Nobody in the hub has that email." in plain(unknown.text)


async def test_my_page_tells_this_browser_apart_and_signs_another_out(session, runtime, app, http):
    # Given a person signed in in two browsers
    person = await create_person(session, email="ana@example.org")
    await session.commit()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://hub.test", headers={"user-agent": "Phone 1.0"}
    ) as phone:
        await sign_in_over_http(phone, runtime, person)
        await sign_in_over_http(http, runtime, person)

        # When, on the laptop, they look at their sessions and sign the phone out
        me = await http.get("/me")
        items = re.findall(r"<li>(.*?)</li>", me.text.split('id="sessions"')[1], re.S)
        [phones] = [item for item in items if "Phone 1.0" in item]
        [laptops] = [item for item in items if "Phone 1.0" not in item]
        end = re.search(r'action="(/me/sessions/[^"]+/end)"', phones).group(1)
        ended = await http.post(end, data={"csrf_token": csrf_of(me)})

        # Then the laptop's entry was marked as this browser, and the phone is signed out
        assert "This browser" in laptops and "This browser" not in phones
        assert ended.status_code == 303
        assert (await phone.get("/me")).status_code == 303
        assert (await http.get("/me")).status_code == 200

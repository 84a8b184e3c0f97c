"""Every credential dies when it should: after a sign-out, a "sign out everywhere", an admin's
revoke and a person's removal, the old cookie and the old token are refused on the very next
request, on both read paths (compiled, on PostgreSQL, and normal) and both databases."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import delete
from starlette.applications import Starlette

from hub.access.auth.personal_tokens import READ, WRITE, make_personal_token
from hub.app import create_app
from hub.infrastructure.config import Settings
from hub.infrastructure.models import Person, PersonalAccessToken
from hub.infrastructure.models.base import utcnow
from hub.interfaces.graphql.node import to_global_id
from tests.factories import create_admin, create_person
from tests.frontend.over_http import csrf_of, sign_in_over_http
from tests.graphql.compiled.differential import Hub

WHO_AM_I = "{ viewer { name email } }"


@pytest.fixture(scope="module")
async def normal_app(settings: Settings) -> AsyncIterator[Starlette]:
    """A second hub on the same database with the compiled path turned off."""
    application = create_app(dataclasses.replace(settings, compiled_reads=False))
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture(params=["compiled", "normal"])
async def api(request, app, normal_app) -> AsyncIterator[Hub]:
    """The API as a client reaches it, through the read path of the parameter (both
    databases)."""
    served = app if request.param == "compiled" else normal_app
    transport = httpx.ASGITransport(app=served)
    async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as client:
        hub = Hub(client, served.state.runtime.engine)
        hub.path = request.param  # type: ignore[attr-defined]
        yield hub


@pytest.fixture
async def web(app) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as client:
        yield client


@dataclasses.dataclass
class Holder:
    person: Person
    token: str
    token_id: int
    cookie: str


async def holder_of_both(session, runtime, web) -> Holder:
    """A person signed in in a web, with a read-and-write token."""
    person = await create_person(session, name="Ana Ruiz", email="ana@example.org")
    now = utcnow()
    made = await make_personal_token(
        session,
        person_id=person.id,
        name="laptop script",
        scopes=frozenset({READ, WRITE}),
        expires_at=now + timedelta(days=7),
        now=now,
    )
    await session.commit()
    await sign_in_over_http(web, runtime, person)
    return Holder(person, made.secret, made.token.id, web.cookies["hub_session"])


async def assert_both_work(api: Hub, app: Starlette, holder: Holder) -> None:
    for _ in range(2):  # the second time, the compiled path knows the viewer already
        answer = await api.ask(WHO_AM_I, None, holder.token)
        assert answer.status == 200
        assert answer.body == [
            ("data", [("viewer", [("name", "Ana Ruiz"), ("email", "ana@example.org")])])
        ]
        assert answer.compiled is (api.path == "compiled")  # type: ignore[attr-defined]
    assert (await _with_cookie(app, holder.cookie)).status_code == 200


async def assert_token_refused(api: Hub, holder: Holder, reason: str) -> None:
    answer = await api.ask(WHO_AM_I, None, holder.token)
    assert answer.status == 401
    assert answer.body == [
        ("errors", [[("message", reason), ("extensions", [("code", "UNAUTHENTICATED")])]])
    ]


async def assert_cookie_refused(app: Starlette, cookie: str) -> None:
    answer = await _with_cookie(app, cookie)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/signin?next=/me"


async def _with_cookie(app: Starlette, cookie: str) -> httpx.Response:
    """/me opened by a copy of the cookie, in another web."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://hub.test", cookies={"hub_session": cookie}
    ) as copy:
        return await copy.get("/me")


REVOKED = "The token was revoked; make a new one on your page, /me."
GONE = "The token is not valid for this hub."


async def test_sign_out_ends_the_browser_session_and_leaves_the_token(
    session, runtime, app, web, api
):
    # Given a person with a signed-in web and a token, both working
    holder = await holder_of_both(session, runtime, web)
    await assert_both_work(api, app, holder)

    # When they sign out in that web
    me = await web.get("/me")
    assert (await web.post("/signout", data={"csrf_token": csrf_of(me)})).status_code == 303

    # Then the old cookie opens nothing; the token (a credential of its own) still reads
    await assert_cookie_refused(app, holder.cookie)
    assert (await api.ask(WHO_AM_I, None, holder.token)).status == 200


async def test_sign_out_everywhere_ends_every_session_and_token(session, runtime, app, web, api):
    # Given a person signed in in two browsers, with a token, all working
    holder = await holder_of_both(session, runtime, web)
    await assert_both_work(api, app, holder)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as other:
        await sign_in_over_http(other, runtime, holder.person)
        second_cookie = other.cookies["hub_session"]

    # When, in one web, they sign out everywhere
    me = await web.get("/me")
    answer = await web.post("/me/signout-everywhere", data={"csrf_token": csrf_of(me)})
    assert answer.status_code == 303

    # Then neither web's cookie nor the token is accepted any more
    await assert_cookie_refused(app, holder.cookie)
    await assert_cookie_refused(app, second_cookie)
    await assert_token_refused(api, holder, REVOKED)


async def test_an_admins_revoke_ends_the_token_and_the_session(
    session, runtime, app, web, api, gql
):
    # Given a person's working session and token, and an admin
    holder = await holder_of_both(session, runtime, web)
    admin = await create_admin(session)
    await session.commit()
    await assert_both_work(api, app, holder)

    # When the admin revokes the token and ends the session, through the API
    sessions = await gql('{ signInSessions(email: "ana@example.org") { id provider } }', as_=admin)
    [browser_session] = sessions["data"]["signInSessions"]
    assert browser_session["provider"] == "email"
    token_id = to_global_id("PersonalAccessToken", holder.token_id)
    revoked = await gql(REVOKE_TOKEN, {"id": token_id}, as_=admin)
    ended = await gql(END_SESSION, {"id": browser_session["id"]}, as_=admin)
    assert revoked["data"]["revokePersonalAccessToken"] == {
        "token": {"name": "laptop script"},
        "errors": [],
    }
    assert ended["data"]["endSignInSession"] == {"ended": True, "errors": []}

    # Then both are refused on the next request
    await assert_token_refused(api, holder, REVOKED)
    await assert_cookie_refused(app, holder.cookie)


async def test_removing_the_person_ends_their_token_and_session(session, runtime, app, web, api):
    # Given a person's working session and token
    holder = await holder_of_both(session, runtime, web)
    await assert_both_work(api, app, holder)

    # When the person is removed from the hub
    await session.execute(delete(Person).where(Person.id == holder.person.id))
    await session.commit()

    # Then both are refused on the next request
    await assert_token_refused(api, holder, GONE)
    await assert_cookie_refused(app, holder.cookie)


async def test_an_expired_token_is_refused_at_once(session, runtime, app, web, api):
    # Given a working token
    holder = await holder_of_both(session, runtime, web)
    await assert_both_work(api, app, holder)

    # When its expiry passes (moved into the past in the database)
    token = await session.get(PersonalAccessToken, holder.token_id)
    token.expires_at = utcnow() - timedelta(seconds=1)
    await session.commit()

    # Then the next request with it is refused, saying why
    await assert_token_refused(
        api, holder, "The token has expired; make a new one on your page, /me."
    )


REVOKE_TOKEN = """
mutation ($id: ID!) {
  revokePersonalAccessToken(input: {id: $id}) { token { name } errors { code message } }
}"""
END_SESSION = """
mutation ($id: ID!) { endSignInSession(input: {id: $id}) { ended errors { code } } }"""


async def test_a_token_costs_no_statement_more_than_a_signed_token(session, gql, api):
    # Given a person with a personal access token, and a signed token of the old kind
    person = await create_person(session, name="Ana Ruiz", email="ana@example.org")
    now = utcnow()
    made = await make_personal_token(
        session,
        person_id=person.id,
        name="x",
        scopes=frozenset({READ}),
        expires_at=now + timedelta(days=1),
        now=now,
    )
    signed = gql.token_for(person)
    await session.commit()

    # When each asks twice (the second time, the compiled path knows the viewer)
    counts = {}
    for name, token in (("personal", made.secret), ("signed", signed)):
        await api.ask(WHO_AM_I, None, token)
        counts[name] = len((await api.ask(WHO_AM_I, None, token)).statements)

    # Then the token's own facts came in the person's statement: the same count, and one
    # statement in all on the compiled path
    assert counts["personal"] == counts["signed"]
    if api.path == "compiled":  # type: ignore[attr-defined]
        assert counts["personal"] == 1

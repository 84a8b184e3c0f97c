"""Signing in through OpenID Connect against real local providers: the hub's own pages over
HTTP, the providers on their own ports. Each refusal shows its page and signs nobody in."""

from __future__ import annotations

import dataclasses
import html
import logging
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.applications import Starlette

from hub.app import create_app
from hub.infrastructure.config import OidcProvider, Settings
from hub.infrastructure.models import AuditEvent, Person, SignInSession
from hub.interfaces.runtime import Runtime
from hub.interfaces.web.pages import oidc
from hub.interfaces.web.pages.oidc import FLOW_COOKIE
from hub.interfaces.web.pages.session import SESSION_COOKIE
from tests.factories import create_person
from tests.infrastructure.oidc_provider import (
    BrokenTokenProvider,
    approve_at_mock,
    broken_token_provider,
    mock_provider,
)
from tests.infrastructure.served import free_port

HUB = "http://hub.test"
SECRET = "local-client-secret"
FAILED = "could not be completed"


@pytest.fixture(scope="module")
def mock_issuer() -> Iterator[str]:
    with mock_provider() as issuer:
        yield issuer


@pytest.fixture(scope="module")
def broken() -> Iterator[BrokenTokenProvider]:
    with broken_token_provider(SECRET) as provider:
        yield provider


def providers(mock_issuer: str, broken_issuer: str) -> tuple[OidcProvider, ...]:
    mock = OidcProvider("acme", mock_issuer, "hub-client", "hub-secret", "Acme ID")
    local = OidcProvider("local", broken_issuer, "hub-client", SECRET, "Local ID")
    return (
        mock,
        # The same provider for one organization's domain, which may add its people.
        dataclasses.replace(
            mock, name="scope", label="Scope", domains=frozenset({"scope.org"}), create_people=True
        ),
        local,
        # The same again, as an organization's Microsoft Entra tenant for its own domain.
        dataclasses.replace(local, name="entra", label="Entra", domains=frozenset({"example.org"})),
        # A provider nobody answers for, and an issuer URL with no provider under it.
        dataclasses.replace(
            local, name="down", label="Down", issuer=f"http://127.0.0.1:{free_port()}"
        ),
        dataclasses.replace(local, name="wrong", label="Wrong", issuer=f"{broken_issuer}/x"),
    )


@pytest.fixture(scope="module")
async def oidc_app(
    runtime: Runtime, settings: Settings, mock_issuer: str, broken: BrokenTokenProvider
) -> AsyncIterator[Starlette]:
    """A second app on the test database, with providers. (It asks for the suite's runtime
    so that it is up before the autouse fixture that empties the tables after each test.)"""
    configured = dataclasses.replace(settings, oidc_providers=providers(mock_issuer, broken.issuer))
    application = create_app(configured)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
def refusal_log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """What the hub logs of each refused sign-in: the reason, which the page does not say."""
    caplog.set_level(logging.INFO, logger=oidc.__name__)
    return caplog


@pytest.fixture
async def visitor(oidc_app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=oidc_app)
    async with httpx.AsyncClient(transport=transport, base_url=HUB) as client:
        yield client


async def start(visitor: httpx.AsyncClient, provider: str, next: str = "/convenings") -> str:
    """Follows the provider's button on the sign-in page; returns the provider's URL."""
    signin = await visitor.get("/signin", params={"next": next})
    (button,) = re.findall(rf'href="(/signin/oidc/{provider}\?next=[^"]*)"', signin.text)
    answer = await visitor.get(html.unescape(button))
    assert answer.status_code == 302, answer.text
    assert FLOW_COOKIE in answer.cookies
    return answer.headers["location"]


def claims(email: str, verified: object = True, **more: Any) -> dict[str, Any]:
    return {"sub": f"sub-{email}", "email": email, "email_verified": verified, **more}


async def through_mock(
    visitor: httpx.AsyncClient, issuer: str, identity: dict[str, Any], provider: str = "acme"
) -> httpx.Response:
    back = await approve_at_mock(issuer, await start(visitor, provider), identity)
    assert back.startswith(f"{HUB}/signin/oidc/{provider}/callback?")
    return await visitor.get(back)


async def approve_at_local(authorization_url: str) -> str:
    """The broken-token provider approves at once: where it sends the browser back."""
    async with httpx.AsyncClient() as client:
        approved = await client.get(authorization_url)
    assert approved.status_code == 302, approved.text
    return approved.headers["location"]


async def assert_signed_out(
    visitor: httpx.AsyncClient, answer: httpx.Response, session: AsyncSession
) -> None:
    """Nobody is signed in: no session was opened on the server, the refusal replaced no
    page session cookie (a visitor who came without one gets the anonymous one every page
    gives, for its forms), and /me asks to sign in."""
    assert await sessions_opened(session) == []
    if SESSION_COOKIE in answer.request.headers.get("cookie", ""):
        assert SESSION_COOKIE not in answer.cookies
    me = await visitor.get("/me")
    assert (me.status_code, me.headers["location"]) == (303, "/signin?next=/me")


async def sessions_opened(session: AsyncSession) -> list[tuple[str, str]]:
    """Each server-held session: whose (their email) and through which provider."""
    await session.commit()  # a fresh snapshot: what the requests have committed since
    rows = await session.execute(
        select(Person.email, SignInSession.provider)
        .join(Person, Person.id == SignInSession.person_id)
        .order_by(SignInSession.id)
    )
    opened = [(email, provider) for email, provider in rows]
    await session.commit()  # and no transaction left open (SQLite's would lock out the hub)
    return opened


def refusal_logged(caplog: pytest.LogCaptureFixture) -> str:
    (record,) = [r for r in caplog.records if r.name == oidc.__name__]
    return record.getMessage()


def refusal_text(answer: httpx.Response) -> str:
    return " ".join(answer.text.split('role="alert" id="refusal">')[1].split("</p>")[0].split())


async def test_behind_https_the_flow_cookie_is_secure(
    runtime: Runtime, settings: Settings, broken: BrokenTokenProvider
) -> None:
    local = OidcProvider("local", broken.issuer, "hub-client", SECRET, "Local ID")
    https = dataclasses.replace(settings, base_url="https://hub.test", oidc_providers=(local,))
    app = create_app(https)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="https://hub.test") as client:
            answer = await client.get("/signin/oidc/local")
    (cookie,) = [c for c in answer.headers.get_list("set-cookie") if c.startswith(FLOW_COOKIE)]
    assert "secure" in {part.strip().lower() for part in cookie.split(";")}
    redirect_uri = httpx.URL(answer.headers["location"]).params["redirect_uri"]
    assert redirect_uri == "https://hub.test/signin/oidc/local/callback"


async def test_a_verified_known_address_signs_in_and_returns_to_the_page(
    visitor: httpx.AsyncClient, mock_issuer: str, session: AsyncSession
) -> None:
    # Given a person
    await create_person(session, name="Rosa Parra", email="rosa@example.org")
    await session.commit()
    # When they sign in through the provider, which has verified their address
    answer = await through_mock(visitor, mock_issuer, claims("Rosa@Example.org"))
    # Then they land on the page they came from, signed in
    assert (answer.status_code, answer.headers["location"]) == (303, "/convenings")
    assert SESSION_COOKIE in answer.cookies
    assert await sessions_opened(session) == [("rosa@example.org", "acme")]
    me = await visitor.get("/me")
    assert me.status_code == 200
    assert "Rosa Parra" in me.text
    # And the flow's cookie is gone with the flow
    assert FLOW_COOKIE not in visitor.cookies


async def test_the_flow_cookie_is_the_flows_alone(visitor: httpx.AsyncClient) -> None:
    answer = await visitor.get("/signin/oidc/acme", params={"next": "/me"})
    (cookie,) = [c for c in answer.headers.get_list("set-cookie") if c.startswith(FLOW_COOKIE)]
    attributes = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert attributes == {"path=/signin/oidc", "max-age=600", "httponly", "samesite=lax"}
    # And the provider is asked for a code with PKCE S256, a state and a nonce
    asked = httpx.URL(answer.headers["location"]).params
    assert asked["code_challenge_method"] == "S256"
    assert asked["redirect_uri"] == f"{HUB}/signin/oidc/acme/callback"
    assert all(asked.get(name) for name in ("code_challenge", "state", "nonce"))


async def test_the_sign_in_page_shows_a_button_per_provider(visitor: httpx.AsyncClient) -> None:
    page = await visitor.get("/signin", params={"next": "/proposals?page=2"})
    labels = {"acme": "Acme ID", "scope": "Scope", "local": "Local ID", "entra": "Entra"}
    labels |= {"down": "Down", "wrong": "Wrong"}
    for name, label in labels.items():
        link = f'href="/signin/oidc/{name}?next=/proposals%3Fpage%3D2">Sign in with {label}</a>'
        assert link in page.text


async def test_an_unverified_address_is_refused(
    visitor: httpx.AsyncClient, mock_issuer: str, session: AsyncSession
) -> None:
    await create_person(session, email="rosa@example.org")
    await session.commit()
    for verified in (False, "false", None):
        answer = await through_mock(visitor, mock_issuer, claims("rosa@example.org", verified))
        assert answer.status_code == 403
        assert refusal_text(answer).startswith(
            "Acme ID did not confirm that your email address is verified"
        )
        await assert_signed_out(visitor, answer, session)


async def test_an_unknown_person_is_refused_and_not_created(
    visitor: httpx.AsyncClient, mock_issuer: str, session: AsyncSession
) -> None:
    answer = await through_mock(visitor, mock_issuer, claims("stranger@example.org"))
    assert answer.status_code == 403
    assert refusal_text(answer).startswith(
        "No one in the alliance has the address stranger@example.org."
    )
    await assert_signed_out(visitor, answer, session)
    assert await session.scalar(select(Person.id)) is None


async def test_a_domain_provider_adds_its_people_and_refuses_other_domains(
    visitor: httpx.AsyncClient, mock_issuer: str, session: AsyncSession
) -> None:
    # Given a provider for scope.org that may add people
    # When someone of another domain signs in through it, they are refused
    other = await through_mock(visitor, mock_issuer, claims("ana@example.org"), "scope")
    assert other.status_code == 403
    assert refusal_text(other).startswith("Scope signs in addresses at scope.org only.")
    await assert_signed_out(visitor, other, session)
    # When someone of scope.org signs in, they become a person with their name, audited
    answer = await through_mock(
        visitor, mock_issuer, claims("Lia@scope.org", name="Lía Gómez"), "scope"
    )
    assert (answer.status_code, answer.headers["location"]) == (303, "/convenings")
    assert await sessions_opened(session) == [("lia@scope.org", "scope")]
    people = (await session.execute(select(Person.name, Person.email))).all()
    assert [tuple(row) for row in people] == [("Lía Gómez", "lia@scope.org")]
    audit = (await session.execute(select(AuditEvent.action, AuditEvent.detail))).all()
    assert [tuple(row) for row in audit] == [
        ("PERSON_CREATED_AT_SIGNIN", "lia@scope.org (signed in through scope)")
    ]


async def test_a_wrong_state_is_refused(
    visitor: httpx.AsyncClient,
    mock_issuer: str,
    session: AsyncSession,
    refusal_log: pytest.LogCaptureFixture,
) -> None:
    await create_person(session, email="rosa@example.org")
    await session.commit()
    back = await approve_at_mock(
        mock_issuer, await start(visitor, "acme"), claims("rosa@example.org")
    )
    answer = await visitor.get(back.replace("state=", "state=x"))
    assert answer.status_code == 400
    assert FAILED in refusal_text(answer)
    assert "mismatching_state" in refusal_logged(refusal_log)
    await assert_signed_out(visitor, answer, session)


async def test_a_replayed_code_is_refused(
    oidc_app: Starlette,
    visitor: httpx.AsyncClient,
    mock_issuer: str,
    session: AsyncSession,
    refusal_log: pytest.LogCaptureFixture,
) -> None:
    # Given a sign-in completed, and a copy of its flow cookie and callback taken before
    await create_person(session, email="rosa@example.org")
    await session.commit()
    back = await approve_at_mock(
        mock_issuer, await start(visitor, "acme"), claims("rosa@example.org")
    )
    flow = visitor.cookies[FLOW_COOKIE]
    assert (await visitor.get(back)).status_code == 303
    # When the callback is replayed, from the same visitor or with the copied flow cookie
    transport = httpx.ASGITransport(app=oidc_app)
    async with httpx.AsyncClient(transport=transport, base_url=HUB) as thief:
        thief.cookies.set(FLOW_COOKIE, flow, domain="hub.test", path="/signin/oidc")
        for replayer, reason in ((visitor, "mismatching_state"), (thief, "invalid_grant")):
            refusal_log.clear()
            answer = await replayer.get(back)
            # Then it is refused: the state was used up, and the provider refuses its code
            assert answer.status_code == 400
            assert FAILED in refusal_text(answer)
            assert reason in refusal_logged(refusal_log)
        # And the one session is the first sign-in's; the thief is not signed in
        assert await sessions_opened(session) == [("rosa@example.org", "acme")]
        me = await thief.get("/me")
        assert (me.status_code, me.headers["location"]) == (303, "/signin?next=/me")


@pytest.mark.parametrize(
    ("defect", "reason"),
    [
        ("tampered", "BadSignatureError"),
        ("unpublished_key", "BadSignatureError"),
        ("wrong_audience", "Invalid claim: 'aud'"),
        ("wrong_nonce", "Invalid claim: 'nonce'"),
        ("expired", "The token is expired"),
    ],
)
async def test_an_id_token_that_fails_verification_is_refused(
    defect: str,
    reason: str,
    visitor: httpx.AsyncClient,
    broken: BrokenTokenProvider,
    session: AsyncSession,
    refusal_log: pytest.LogCaptureFixture,
) -> None:
    # Given a person, and a provider that issues a broken ID token for them
    await create_person(session, email="rosa@example.org")
    await session.commit()
    broken.sign_in_next_as(claims("rosa@example.org"), defect)
    # When they come back from it
    answer = await visitor.get(await approve_at_local(await start(visitor, "local")))
    # Then the token is refused, and nobody is signed in
    assert answer.status_code == 400
    assert refusal_text(answer).startswith(f"The sign-in with Local ID {FAILED}")
    await assert_signed_out(visitor, answer, session)
    # For that very defect
    assert reason in refusal_logged(refusal_log)


async def test_a_sound_id_token_from_the_same_provider_signs_in(
    visitor: httpx.AsyncClient, broken: BrokenTokenProvider, session: AsyncSession
) -> None:
    """The other side of the test above: only the defect made the difference. (The provider
    checks the PKCE verifier against the challenge, so this also proves PKCE S256 is used.)"""
    await create_person(session, email="rosa@example.org")
    await session.commit()
    broken.sign_in_next_as(claims("rosa@example.org"), None)
    answer = await visitor.get(
        await approve_at_local(await start(visitor, "local", next="/proposals"))
    )
    assert (answer.status_code, answer.headers["location"]) == (303, "/proposals")
    assert (await visitor.get("/me")).status_code == 200


async def test_a_tenant_owned_domain_counts_as_verified_only_where_domains_are_set(
    visitor: httpx.AsyncClient, broken: BrokenTokenProvider, session: AsyncSession
) -> None:
    # Given a person, and an Entra-like token: no email_verified, the tenant owns the domain
    await create_person(session, email="rosa@example.org")
    await session.commit()
    entra = {"sub": "rosa", "email": "rosa@example.org", "xms_edov": True}
    # When it comes through a provider open to any domain, it is refused
    broken.sign_in_next_as(entra, None)
    anywhere = await visitor.get(await approve_at_local(await start(visitor, "local")))
    assert anywhere.status_code == 403
    assert "did not confirm that your email address is verified" in refusal_text(anywhere)
    await assert_signed_out(visitor, anywhere, session)
    # When it comes through the provider held to example.org, it signs in
    broken.sign_in_next_as(entra, None)
    held = await visitor.get(await approve_at_local(await start(visitor, "entra")))
    assert (held.status_code, held.headers["location"]) == (303, "/convenings")


@pytest.mark.parametrize(
    "next", ["https://evil.example/", "//evil.example/", "/\\evil.example/", "me", ""]
)
async def test_the_return_path_stays_on_the_site(
    next: str, visitor: httpx.AsyncClient, broken: BrokenTokenProvider, session: AsyncSession
) -> None:
    # Given a sign-in started with a return path off the site (a link crafted elsewhere)
    await create_person(session, email="rosa@example.org")
    await session.commit()
    broken.sign_in_next_as(claims("rosa@example.org"), None)
    started = await visitor.get("/signin/oidc/local", params={"next": next})
    # When it succeeds, the person lands on their own page instead
    answer = await visitor.get(await approve_at_local(started.headers["location"]))
    assert (answer.status_code, answer.headers["location"]) == (303, "/me")


async def test_an_unknown_provider_is_not_found(visitor: httpx.AsyncClient) -> None:
    for path in ("/signin/oidc/nobody", "/signin/oidc/nobody/callback?code=c&state=s"):
        answer = await visitor.get(path)
        assert answer.status_code == 404
        assert "There is nothing here" in answer.text
    assert FLOW_COOKIE not in visitor.cookies


async def test_the_buttons_and_refusals_read_in_spanish(
    visitor: httpx.AsyncClient, mock_issuer: str
) -> None:
    visitor.headers["accept-language"] = "es-MX,es;q=0.9"
    page = await visitor.get("/signin")
    assert "Entrar con Acme ID</a>" in page.text
    answer = await through_mock(visitor, mock_issuer, claims("nadie@example.org"))
    assert answer.status_code == 403
    assert refusal_text(answer).startswith("Nadie en la alianza tiene el correo nadie@example.org.")


async def test_a_sign_in_declined_at_the_provider_says_so(
    visitor: httpx.AsyncClient, mock_issuer: str, session: AsyncSession
) -> None:
    # When the person says no on the provider's page
    async with httpx.AsyncClient() as provider:
        declined = await provider.post(await start(visitor, "acme"), data={"action": "deny"})
    assert "error=access_denied" in declined.headers["location"]
    answer = await visitor.get(declined.headers["location"])
    # Then the hub says they did not allow it, and nobody is signed in
    assert answer.status_code == 400
    assert refusal_text(answer).startswith("You did not allow the sign-in with Acme ID.")
    await assert_signed_out(visitor, answer, session)


@pytest.mark.parametrize(("name", "label"), [("down", "Down"), ("wrong", "Wrong")])
async def test_a_provider_that_cannot_be_reached_is_said_so(
    name: str, label: str, visitor: httpx.AsyncClient
) -> None:
    answer = await visitor.get(f"/signin/oidc/{name}", params={"next": "/me"})
    assert answer.status_code == 502
    assert refusal_text(answer).startswith(f"{label} cannot be reached just now.")
    assert FLOW_COOKIE not in visitor.cookies

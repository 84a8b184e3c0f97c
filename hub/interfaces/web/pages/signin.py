"""Sign in by email link, and sign out. Not a GraphQL document: this is how a page session
comes to have a person, as /oauth/token is for API clients."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email
from starlette.responses import Response

from hub.domains.signin.links import LinkRequest, consume_link, request_link
from hub.infrastructure.db import transaction
from hub.infrastructure.models.base import utcnow
from hub.interfaces.web.client_address import client_address
from hub.interfaces.web.pages.language import set_language_cookie
from hub.interfaces.web.pages.messages import N_
from hub.interfaces.web.pages.page import Page, page_endpoint

SENT = N_("If that address belongs to someone in the alliance, a sign-in link is on its way.")
SIGNED_IN = N_("You are signed in.")
SIGNED_OUT = N_("You are signed out.")


def next_path(value: object) -> str:
    """Only paths on this site: never an open redirect. (Browsers read a backslash as a
    slash, so "/\\evil.example" would leave the site too.)"""
    path = str(value or "")
    parts = urlsplit(path)
    off_site = parts.scheme or parts.netloc or path.startswith("//") or "\\" in path
    if not path.startswith("/") or off_site or not path.isprintable():
        return "/me"
    return path


@page_endpoint
async def signin_form(page: Page) -> Response:
    return await _signin_page(page, 200, next=next_path(page.request.query_params.get("next")))


async def _signin_page(page: Page, status_code: int, **values: Any) -> Response:
    """The form, with a button for each OpenID Connect provider
    (hub/interfaces/web/pages/oidc.py)."""
    providers = page.runtime.settings.oidc_providers
    return await page.render("signin.html", status_code, providers=providers, **values)


@page_endpoint
async def signin_request(page: Page) -> Response:
    form = await page.form()
    email = str(form.get("email") or "").strip()
    wanted = form.get("next")
    if not _is_email(email):
        errors = {"email": "REQUIRED" if not email else "INVALID_EMAIL"}
        return await _signin_page(page, 422, errors=errors, email=email, next=next_path(wanted))
    client = client_address(page.request, page.runtime.settings.trusted_proxies) or "unknown"
    async with transaction(page.runtime.sessions) as session:
        outcome = await request_link(
            session,
            email=email,
            client=client,
            base_url=page.runtime.settings.base_url,
            now=utcnow(),
            next_path=_returning_to(wanted),
        )
    if outcome is LinkRequest.RATE_LIMITED:
        errors = {"email": "RATE_LIMITED"}
        return await _signin_page(page, 429, errors=errors, email=email, next=next_path(wanted))
    if outcome is LinkRequest.UNDELIVERABLE:
        # Said for any address the hub may not mail, known or not (see README, "Signing in").
        contact = page.runtime.settings.support_address
        return await page.render("signin_undeliverable.html", email=email, contact=contact)
    return await page.render("signin_sent.html", status=SENT)


def _returning_to(wanted: object) -> str | None:
    """Where the link brings them back to: the page they came from (/me needs no saying)."""
    path = next_path(wanted)
    return None if path == "/me" else path


def _is_email(value: str) -> bool:
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


@page_endpoint
async def link_form(page: Page) -> Response:
    # Opening the link only shows a button: mail scanners that fetch links use nothing up.
    query = page.request.query_params
    return await page.render(
        "signin_link.html", token=query.get("token", ""), next=next_path(query.get("next"))
    )


@page_endpoint
async def link_consume(page: Page) -> Response:
    form = await page.form()
    async with transaction(page.runtime.sessions) as session:
        signed_in = await consume_link(session, str(form.get("token") or ""), utcnow())
    if signed_in is None:
        return await page.render("signin_link.html", 400, token="", refused=True)
    page.session.sign_in(signed_in.person_id)
    response = await page.redirect(next_path(form.get("next")), status=SIGNED_IN)
    # The language they chose applies from now on, whatever this browser said before.
    set_language_cookie(response, signed_in.language)
    return response


@page_endpoint
async def signout(page: Page) -> Response:
    await page.form()
    page.session.sign_out()
    return await page.redirect("/", status=SIGNED_OUT)

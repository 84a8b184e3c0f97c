"""My tokens and sessions on my page (/me), and the admins' page (/admins): forms that run
the credentials mutations as the signed-in reader."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from starlette.responses import Response

from hub.interfaces.web.pages.me import render_my_page
from hub.interfaces.web.pages.messages import N_, field_errors
from hub.interfaces.web.pages.page import Page, page_endpoint
from hub.interfaces.web.pages.runner import PageRefused

TOKEN_MADE = N_("Your new token is below. Copy it now: it is shown only once.")
TOKEN_REVOKED = N_("The token is revoked: it no longer works.")
SESSION_ENDED = N_("That browser is signed out.")
SIGNED_OUT_EVERYWHERE = N_("You are signed out everywhere, and your tokens are revoked.")
ADMIN_GRANTED = N_("They are an admin now.")
ADMIN_REVOKED = N_("They are no longer an admin.")
SOMEONE_SIGNED_OUT = N_("They are signed out everywhere, and their tokens are revoked.")
SCOPES = {"read": ["READ"], "write": ["READ", "WRITE"]}


@page_endpoint
async def make_token(page: Page) -> Response:
    form = await page.form()
    expires_at = _end_of(str(form.get("expiresOn") or ""), _zone_of(page))
    scopes = SCOPES.get(str(form.get("scope") or ""))
    if expires_at is None or scopes is None:
        errors = {"expiresOn" if expires_at is None else "scope": "REQUIRED"}
        return await render_my_page(page, 422, errors=errors)
    variables = {
        "input": {"name": str(form.get("name") or ""), "scopes": scopes, "expiresAt": expires_at}
    }
    payload = (await page.query("createPersonalAccessToken", variables))[
        "createPersonalAccessToken"
    ]
    if payload["errors"]:
        errors = _form_errors(payload["errors"])
        return await render_my_page(page, 422, errors=errors, token_form=dict(form))
    return await render_my_page(page, token_secret=payload["secret"], status=TOKEN_MADE)


def _zone_of(page: Page) -> ZoneInfo:
    # The day ends where the reader is (the hub's zone when their browser has not said).
    return page.reader_zone or ZoneInfo(page.runtime.settings.time_zone)


def _end_of(day: str, zone: ZoneInfo) -> str | None:
    """The end of the chosen day in the reader's zone, as the API's DateTime; None for no
    valid date."""
    try:
        chosen = date.fromisoformat(day)
    except ValueError:
        return None
    return datetime.combine(chosen, time(23, 59, 59), zone).isoformat()


def _form_errors(errors: list[dict[str, str]]) -> dict[str, str]:
    by_field = field_errors(errors)
    if "expiresAt" in by_field:
        by_field["expiresOn"] = by_field.pop("expiresAt")
    return by_field


@page_endpoint
async def revoke_token(page: Page) -> Response:
    await page.form()
    return await _ran(page, "revokePersonalAccessToken", {"id": _path_id(page)}, TOKEN_REVOKED)


@page_endpoint
async def end_session(page: Page) -> Response:
    await page.form()
    return await _ran(page, "endSignInSession", {"id": _path_id(page)}, SESSION_ENDED)


@page_endpoint
async def sign_out_everywhere(page: Page) -> Response:
    await page.form()
    payload = (await page.query("signOutEverywhere", {"email": None}))["signOutEverywhere"]
    if payload["errors"]:
        return await render_my_page(page, 422, errors=field_errors(payload["errors"]))
    page.session.sign_out()
    return await page.redirect("/", status=SIGNED_OUT_EVERYWHERE)


async def _ran(page: Page, name: str, variables: dict[str, Any], done: str) -> Response:
    payload = (await page.query(name, variables))[name]
    if payload["errors"]:
        raise PageRefused("NOT_FOUND")
    return await page.redirect("/me#credentials", status=done)


def _path_id(page: Page) -> str:
    return str(page.request.path_params["id"])


@page_endpoint
async def admins_page(page: Page) -> Response:
    return await _render_admins(page)


@page_endpoint
async def grant_admin(page: Page) -> Response:
    return await _change_admin(page, "grantAdmin", ADMIN_GRANTED)


@page_endpoint
async def revoke_admin(page: Page) -> Response:
    return await _change_admin(page, "revokeAdmin", ADMIN_REVOKED)


@page_endpoint
async def sign_someone_out(page: Page) -> Response:
    return await _change_admin(page, "signOutEverywhere", SOMEONE_SIGNED_OUT)


async def _change_admin(page: Page, name: str, done: str) -> Response:
    form = await page.form()
    email = str(form.get("email") or "").strip()
    if not email:
        return await _render_admins(page, 422, errors={"email": "REQUIRED"}, form_of=name)
    payload = (await page.query(name, {"email": email}))[name]
    if payload["errors"]:
        errors = field_errors(payload["errors"])
        return await _render_admins(page, 422, errors=errors, email=email, form_of=name)
    return await page.redirect("/admins", status=done)


async def _render_admins(page: Page, status_code: int = 200, **values: Any) -> Response:
    if not page.signed_in:
        raise PageRefused("UNAUTHENTICATED")
    data = await page.query("admins")
    return await page.render("admins.html", status_code, admins=data["admins"], **values)

"""My details and the email I get, on my page (through `updateMyProfile`), and the page an
email's unsubscribe link opens: a GET only shows a button (mail scanners fetch links); a POST,
the button's or a mail client's one-click one (RFC 8058), stops that kind of email. That POST
carries no CSRF token and needs no sign-in: the link's token is the authority."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from hub.interfaces.web.pages.me import render_my_page
from hub.interfaces.web.pages.messages import N_
from hub.interfaces.web.pages.page import Page, page_endpoint

EMAIL_CATEGORIES = ("reminders", "host_messages", "committee_notices")
DETAILS_SAVED = N_("Your details are saved.")
EMAIL_SAVED = N_("Your email choices are saved.")
# The form's fields, as the page names them (the token form on the same page uses "name").
DETAIL_FIELDS = {"name": "profileName", "phone": "profilePhone"}


def routes() -> list[BaseRoute]:
    return [
        Route("/me/profile", save_details, methods=["POST"]),
        Route("/me/email", save_email_choices, methods=["POST"]),
        Route("/unsubscribe/{token}", unsubscribe_page, methods=["GET"]),
        Route("/unsubscribe/{token}", unsubscribe, methods=["POST"]),
    ]


@page_endpoint
async def save_details(page: Page) -> Response:
    form = await page.form()
    typed = {field: str(form.get(name) or "") for field, name in DETAIL_FIELDS.items()}
    payload = await _update(page, {"name": typed["name"], "phone": typed["phone"]})
    if payload["errors"]:
        errors = {DETAIL_FIELDS.get(e["field"], ""): _code(e) for e in payload["errors"]}
        return await render_my_page(page, 422, errors=errors, details=typed)
    return await page.redirect("/me#details", status=DETAILS_SAVED)


def _code(error: dict[str, str]) -> str:
    # The directory says INVALID for any malformed value: on this form, only a phone is.
    return "INVALID_PHONE" if error["code"] == "INVALID" else error["code"]


@page_endpoint
async def save_email_choices(page: Page) -> Response:
    form = await page.form()
    chosen = [c for c in form.getlist("emailCategories") if c in EMAIL_CATEGORIES]
    payload = await _update(page, {"emailCategories": [c.upper() for c in chosen]})
    if payload["errors"]:
        return await render_my_page(page, 422, errors={"emailCategories": "INVALID"})
    return await page.redirect("/me#email", status=EMAIL_SAVED)


async def _update(page: Page, given: dict[str, Any]) -> dict[str, Any]:
    data = await page.query("updateMyProfile", {"input": given})
    return data["updateMyProfile"]  # type: ignore[no-any-return]


@page_endpoint
async def unsubscribe_page(page: Page) -> Response:
    token = str(page.request.path_params["token"])
    link = (await page.query("unsubscribeLink", {"token": token}))["unsubscribeLink"]
    status_code = 200 if link else 404
    return await page.render("unsubscribe.html", status_code, link=link, token=token)


@page_endpoint
async def unsubscribe(page: Page) -> Response:
    """The button's POST and a mail client's one-click POST (`List-Unsubscribe=One-Click`)."""
    token = str(page.request.path_params["token"])
    payload = (await page.query("unsubscribe", {"input": {"token": token}}))["unsubscribe"]
    if payload["errors"]:
        return await page.render("unsubscribe.html", 404, link=None, token=token)
    return await page.render(
        "unsubscribe.html", link={"category": payload["category"]}, token=token, done=True
    )

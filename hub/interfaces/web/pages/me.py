"""My page: my answers to convenings, my calendar feed, my language, my tokens and sessions."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from hub.interfaces.graphql.node import to_global_id
from hub.interfaces.web.pages.language import set_language_cookie
from hub.interfaces.web.pages.messages import N_
from hub.interfaces.web.pages.page import Page, page_endpoint
from hub.interfaces.web.pages.runner import PageRefused

FEED_MADE = N_("Your new feed link is below. Copy it now: it is shown only once.")
LANGUAGE_SAVED = N_("Your language is saved: the hub's pages and email use it from now on.")
PREFERRED_LANGUAGES = ("EN", "ES")


@page_endpoint
async def my_page(page: Page) -> Response:
    return await render_my_page(page)


@page_endpoint
async def make_feed(page: Page) -> Response:
    await page.form()
    payload = (await page.query("createCalendarFeed"))["createCalendarFeed"]
    url = payload["feed"]["url"] if payload["feed"] else None
    return await render_my_page(page, feed_url=url, status=FEED_MADE)


@page_endpoint
async def save_language(page: Page) -> Response:
    """The language the hub writes to the person in; the pages follow it from now on."""
    form = await page.form()
    language = str(form.get("preferredLanguage") or "")
    if language not in PREFERRED_LANGUAGES:
        return await render_my_page(page, 422, errors={"preferredLanguage": "REQUIRED"})
    variables = {"input": {"preferredLanguage": language}}
    payload = (await page.query("updateMyPreferences", variables))["updateMyPreferences"]
    if payload["errors"]:
        errors = {"preferredLanguage": payload["errors"][0]["code"]}
        return await render_my_page(page, 422, errors=errors)
    response = await page.redirect("/me", status=LANGUAGE_SAVED)
    set_language_cookie(response, language.lower())
    return response


def _global_session_id(page: Page) -> str | None:
    session_id = page.session.session_id
    return None if session_id is None else to_global_id("SignInSession", session_id)


async def render_my_page(page: Page, status_code: int = 200, **values: Any) -> Response:
    data = await page.query("me")
    if data["viewer"] is None:
        raise PageRefused("UNAUTHENTICATED")
    answers = [edge["node"] for edge in data["convenings"]["edges"] if edge["node"]["viewerRsvp"]]
    return await page.render(
        "me.html",
        status_code,
        me=data["viewer"],
        answers=answers,
        feed=data["myCalendarFeed"],
        me_email_categories=data["myEmailCategories"],
        preferred_languages=PREFERRED_LANGUAGES,
        tokens=data["personalAccessTokens"],
        sessions=data["signInSessions"],
        this_session=_global_session_id(page),
        **values,
    )

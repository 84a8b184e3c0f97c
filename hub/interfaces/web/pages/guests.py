"""A guest's answer to a PUBLIC convening, signed out: the form (name, email, organization
picked or typed, language, needs), the page saying a link is on its way, and the page the
emailed link opens, whose button confirms (opening the link alone changes nothing: mail
scanners fetch links). Every read and write is a document run as the reader."""

from __future__ import annotations

import secrets
from typing import Any

from starlette.datastructures import FormData
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from hub.interfaces.web.pages.convenings import ACCESSIBILITY
from hub.interfaces.web.pages.messages import field_errors
from hub.interfaces.web.pages.page import Page, page_endpoint
from hub.interfaces.web.pages.runner import PageRefused

LANGUAGES = ("EN", "ES")


def routes() -> list[BaseRoute]:
    return [
        Route("/convenings/{id}/guest-rsvp", guest_form, methods=["GET"]),
        Route("/convenings/{id}/guest-rsvp", guest_request, methods=["POST"]),
        Route("/guest-rsvp/confirm", confirm_form, methods=["GET"]),
        Route("/guest-rsvp/confirm", confirm, methods=["POST"]),
    ]


@page_endpoint
async def guest_form(page: Page) -> Response:
    typed = {"preferredLanguage": page.language.upper(), "formKey": secrets.token_urlsafe(16)}
    return await _render_form(page, typed=typed)


@page_endpoint
async def guest_request(page: Page) -> Response:
    form = await page.form()
    convening_id = str(page.request.path_params["id"])
    variables = {"input": _request_input(convening_id, form)}
    payload = (await page.query("requestGuestRsvp", variables))["requestGuestRsvp"]
    if payload["errors"]:
        errors = field_errors(payload["errors"])
        if errors.get("conveningId") == "UNKNOWN_CONVENING":  # not PUBLIC, or gone
            raise PageRefused("NOT_FOUND")
        return await _render_form(page, 422, typed=_typed(form), errors=errors)
    email = str(form.get("email") or "").strip()
    return await page.render("guest_rsvp_sent.html", email=email)


@page_endpoint
async def confirm_form(page: Page) -> Response:
    token = page.request.query_params.get("token", "")
    return await page.render("guest_rsvp_confirm.html", token=token)


@page_endpoint
async def confirm(page: Page) -> Response:
    form = await page.form()
    variables = {"input": {"token": str(form.get("token") or "")}}
    payload = (await page.query("confirmGuestRsvp", variables))["confirmGuestRsvp"]
    if payload["errors"]:
        return await page.render("guest_rsvp_confirm.html", 400, token="", refused=True)
    return await page.render("guest_rsvp_confirm.html", token="", confirmed=payload)


async def _render_form(page: Page, status_code: int = 200, **values: Any) -> Response:
    data = await page.query("guestRsvpForm", {"id": page.request.path_params["id"]})
    convening = data["node"]
    if convening is None or convening.get("visibility") != "PUBLIC":
        raise PageRefused("NOT_FOUND")
    organizations = [edge["node"]["name"] for edge in data["organizations"]["edges"]]
    return await page.render(
        "guest_rsvp.html",
        status_code,
        convening=convening,
        organizations=organizations,
        accessibility=ACCESSIBILITY,
        languages=LANGUAGES,
        **values,
    )


def _request_input(convening_id: str, form: FormData) -> dict[str, Any]:
    childcare = str(form.get("childcareCount") or "0").strip()
    return {
        "conveningId": convening_id,
        "name": str(form.get("name") or ""),
        "email": str(form.get("email") or ""),
        "organizationName": str(form.get("organizationName") or "") or None,
        "preferredLanguage": "ES" if form.get("preferredLanguage") == "ES" else "EN",
        "formKey": str(form.get("formKey") or "")[:64] or None,
        "needs": {
            "interpretationLanguage": form.get("interpretationLanguage") or None,
            "accessibility": [n for n in form.getlist("accessibility") if n in ACCESSIBILITY],
            "accessibilityNote": str(form.get("accessibilityNote") or ""),
            "childcareCount": min(int(childcare), 10**6) if childcare.isdigit() else -1,
            "dietary": str(form.get("dietary") or ""),
        },
    }


def _typed(form: FormData) -> dict[str, Any]:
    """What was typed, shown again beside its errors."""
    names = ("name", "email", "organizationName", "preferredLanguage", "formKey")
    typed: dict[str, Any] = {name: str(form.get(name) or "") for name in names}
    typed.update(
        interpretationLanguage=str(form.get("interpretationLanguage") or ""),
        accessibility=form.getlist("accessibility"),
        accessibilityNote=str(form.get("accessibilityNote") or ""),
        childcareCount=str(form.get("childcareCount") or "0"),
        dietary=str(form.get("dietary") or ""),
    )
    return typed

"""Check-in at the door, made for a phone: find a person by a few letters, tap, undo."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from hub.web.pages.messages import N_
from hub.web.pages.page import Page, page_endpoint
from hub.web.pages.runner import PageRefused

CHECKED_IN = N_("Checked in: %(name)s")
UNDONE = N_("Check-in undone: %(name)s")
SHOWN_AT_MOST = 30
MIN_LETTERS = 2


@page_endpoint
async def checkin_page(page: Page) -> Response:
    return await _render_checkin(page, page.request.query_params.get("q", ""))


@page_endpoint
async def checkin(page: Page) -> Response:
    form = await page.form()
    undo = form.get("undo") == "1"
    variables = {"input": {"rsvpId": form.get("rsvpId"), "undo": undo}}
    payload = (await page.query("checkInMutation", variables))["checkIn"]
    search = str(form.get("q") or "")
    if payload["errors"]:
        errors = {"checkin": payload["errors"][0]["code"]}
        return await _render_checkin(page, search, 422, errors=errors)
    name = payload["rsvp"]["person"]["name"] if payload["rsvp"]["person"] else ""
    status = {"message": UNDONE if undo else CHECKED_IN, "name": name}
    return await _render_checkin(page, search, status=status)


async def _render_checkin(
    page: Page, search: str, status_code: int = 200, **values: Any
) -> Response:
    letters = search.strip()
    searching = len(letters) >= MIN_LETTERS
    variables = {"id": page.request.path_params["id"], "search": letters, "searching": searching}
    convening = (await page.query("checkin", variables))["node"]
    if convening is None or "title" not in convening:
        raise PageRefused("NOT_FOUND")
    if convening["needsTotals"] is None:  # shown to admins and host contacts only
        raise PageRefused("FORBIDDEN")
    return await page.render(
        "checkin.html",
        status_code,
        convening=convening,
        q=search,
        searching=searching,
        found=_expected(convening) if searching else [],
        **values,
    )


def _expected(convening: dict[str, Any]) -> list[dict[str, Any]]:
    """Of those the API found by name, who is expected at the door (GOING)."""
    rsvps = (edge["node"] for edge in (convening.get("rsvps") or {"edges": []})["edges"])
    return [rsvp for rsvp in rsvps if rsvp["status"] == "GOING"][:SHOWN_AT_MOST]

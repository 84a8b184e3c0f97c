"""Check-in at the door, made for a phone: everyone expected (GOING) listed, a few letters to
find anyone who answered, a tap to check in (or undo), each person's needs on a tap, and a
walk-in registered and checked in at once (a person of the directory, or a new one)."""

from __future__ import annotations

import secrets
from typing import Any

from starlette.responses import Response

from hub.interfaces.web.pages.managed import managed_convening
from hub.interfaces.web.pages.messages import N_, field_errors
from hub.interfaces.web.pages.page import Page, page_endpoint

CHECKED_IN = N_("Checked in: %(name)s")
UNDONE = N_("Check-in undone: %(name)s")
WALKED_IN = N_("Walk-in checked in: %(name)s")
SHOWN_AT_MOST = 30
MIN_LETTERS = 2
WALK_IN_FIELDS = ("personId", "name", "email", "organizationName", "key", "who")


@page_endpoint
async def checkin_page(page: Page) -> Response:
    query = page.request.query_params
    return await _render_checkin(page, query.get("q", ""), who=query.get("who", ""))


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


@page_endpoint
async def walk_in(page: Page) -> Response:
    form = await page.form()
    typed = {name: str(form.get(name) or "").strip() for name in WALK_IN_FIELDS}
    given = {
        "conveningId": page.request.path_params["id"],
        "key": typed["key"],
        "organizationName": typed["organizationName"] or None,
    }
    if typed["personId"]:
        given["personId"] = typed["personId"]
    else:
        given.update(name=typed["name"], email=typed["email"] or None)
    payload = (await page.query("registerWalkIn", {"input": given}))["registerWalkIn"]
    if payload["errors"]:
        errors = {f"walkin-{k}": v for k, v in field_errors(payload["errors"]).items()}
        return await _render_checkin(page, "", 422, errors=errors, typed=typed, who=typed["who"])
    status = {"message": WALKED_IN, "name": payload["rsvp"]["person"]["name"]}
    return await _render_checkin(page, "", status=status)


async def _render_checkin(
    page: Page, search: str, status_code: int = 200, who: str = "", **values: Any
) -> Response:
    letters, picking = search.strip(), who.strip()
    searching = len(letters) >= MIN_LETTERS
    variables = {
        "search": letters,
        "searching": searching,
        "who": picking,
        "pickingPerson": len(picking) >= MIN_LETTERS,
    }
    data, expected = await managed_convening(page, "checkin", "expected", variables)
    convening = data["node"]
    found = (convening.get("found") or {"edges": []})["edges"]
    typed = values.pop("typed", {})
    return await page.render(
        "checkin.html",
        status_code,
        convening=convening,
        q=search,
        who=who,
        searching=searching,
        found=[edge["node"] for edge in found][:SHOWN_AT_MOST],
        expected=sorted(
            (r for r in expected if r["status"] == "GOING"), key=lambda r: r["person"]["name"]
        ),
        people=[edge["node"] for edge in (data.get("people") or {"edges": []})["edges"]],
        organizations=[edge["node"] for edge in data["organizations"]["edges"]],
        typed=typed,
        walk_in_key=typed.get("key") or secrets.token_urlsafe(16),
        **values,
    )

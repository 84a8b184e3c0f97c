"""The host's pages for a convening: the attendee list with its needs chart and CSV download,
and messages to the attendees. Shown to admins and the host organizations' contacts: what the
schema shows the viewer decides (a null `needsTotals` or `messages` is a refusal)."""

from __future__ import annotations

import secrets
from itertools import groupby
from typing import Any

from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from hub.interfaces.web.pages import checkin
from hub.interfaces.web.pages.chart import Chart, bar_chart
from hub.interfaces.web.pages.managed import managed_convening
from hub.interfaces.web.pages.messages import N_, field_errors
from hub.interfaces.web.pages.page import Page, page_endpoint
from hub.interfaces.web.pages.runner import PageRefused

MESSAGE_SENT = N_("Message sent.")
STATUS_ORDER = ("GOING", "WAITLISTED", "MAYBE", "NOT_GOING")
AUDIENCES = ("GOING", "WAITLISTED", "ALL")
# Access needs always charted, so a planner sees "0" rather than wonders.
CHARTED_NEEDS = ("ASL", "CAPTIONING", "MOBILITY")
NEEDS_LABEL_WIDTH = 210


def routes() -> list[BaseRoute]:
    return [
        Route("/convenings/{id}/attendees", attendees_page, methods=["GET"]),
        Route("/convenings/{id}/messages", messages_page, methods=["GET"]),
        Route("/convenings/{id}/messages", send_message, methods=["POST"]),
        Route("/convenings/{id}/checkin/walk-in", checkin.walk_in, methods=["POST"]),
    ]


@page_endpoint
async def attendees_page(page: Page) -> Response:
    data, rsvps = await managed_convening(page, "hostAttendees", "rsvps", {})
    convening = data["node"]
    return await page.render(
        "attendees.html",
        convening=convening,
        groups=status_groups(rsvps),
        total=len(rsvps),
        chart=needs_chart(convening["needsTotals"]),
    )


def status_groups(rsvps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """By status (GOING, the waitlist in order, MAYBE, NOT_GOING), then by organization."""
    groups: list[dict[str, Any]] = []
    for status in STATUS_ORDER:
        of_status = [r for r in rsvps if r["status"] == status]
        if not of_status:
            continue
        if status == "WAITLISTED":
            of_status.sort(key=lambda r: r["waitlistPosition"] or 0)
            groups.append({"status": status, "organizations": [], "waitlist": of_status})
            continue
        of_status.sort(key=lambda r: (organization_of(r).casefold(), r["person"]["name"]))
        organizations = [
            {"name": name, "rsvps": list(members)}
            for name, members in groupby(of_status, key=organization_of)
        ]
        groups.append({"status": status, "organizations": organizations, "count": len(of_status)})
    return groups


def organization_of(rsvp: dict[str, Any]) -> str:
    organization = rsvp.get("organization")
    return (organization or {}).get("name") or rsvp.get("walkInOrganization") or ""


def needs_chart(totals: dict[str, Any]) -> Chart:
    """What to book: interpretation per language, ASL, captioning, mobility (and any other
    access need asked for), childcare places, dietary needs."""
    counts = [(f"interpretation:{i['language']}", i["count"]) for i in totals["interpretation"]]
    access = {a["need"]: a["count"] for a in totals["accessibility"]}
    counts += [(need, access.get(need, 0)) for need in CHARTED_NEEDS]
    counts += [(need, n) for need, n in access.items() if need not in CHARTED_NEEDS]
    counts += [("childcare", totals["childcarePlaces"]), ("dietary", len(totals["dietaryNotes"]))]
    return bar_chart(counts, NEEDS_LABEL_WIDTH)


@page_endpoint
async def messages_page(page: Page) -> Response:
    return await _render_messages(page)


@page_endpoint
async def send_message(page: Page) -> Response:
    form = await page.form()
    typed = {name: str(form.get(name) or "") for name in _MESSAGE_FIELDS}
    if typed["audience"] not in AUDIENCES:
        return await _render_messages(page, 422, errors={"audience": "REQUIRED"}, typed=typed)
    variables = {
        "input": {"conveningId": page.request.path_params["id"], **typed},
    }
    payload = (await page.query("messageAttendees", variables))["messageAttendees"]
    if payload["errors"]:
        return await _render_messages(
            page, 422, errors=field_errors(payload["errors"]), typed=typed
        )
    return await page.redirect(
        f"/convenings/{page.request.path_params['id']}/messages", status=MESSAGE_SENT
    )


_MESSAGE_FIELDS = ("audience", "subject", "text", "subjectEs", "textEs", "key")


async def _render_messages(page: Page, status_code: int = 200, **values: Any) -> Response:
    if not page.signed_in:
        raise PageRefused("UNAUTHENTICATED")
    convening = (await page.query("hostMessages", {"id": page.request.path_params["id"]}))["node"]
    if convening is None or "title" not in convening:
        raise PageRefused("NOT_FOUND")
    if convening["messages"] is None:  # admins and host contacts only
        raise PageRefused("FORBIDDEN")
    typed = values.pop("typed", {})
    key = typed.get("key") or secrets.token_urlsafe(16)
    return await page.render(
        "attendee_messages.html",
        status_code,
        convening=convening,
        audiences=AUDIENCES,
        typed=typed,
        key=key,
        **values,
    )

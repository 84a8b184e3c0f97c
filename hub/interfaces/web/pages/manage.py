"""The "Manage" menu and its landing page: what the alliance's staff and the contacts of host
organizations run. The menu only points the way; each page behind it is refused by the schema
to whoever may not use it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from hub.interfaces.web.pages.messages import N_
from hub.interfaces.web.pages.page import Page, page_endpoint
from hub.interfaces.web.pages.runner import PageRefused

# Convenings that ended less than this long ago stay on the landing page: the attendee list
# and the follow-up messages are still wanted the week after.
RECENTLY_ENDED = timedelta(days=14)

# The back office's sections, in the order the landing page lists them (admins only).
ADMIN_SECTIONS = (
    ("/manage/directory", N_("Directory"), N_("Organizations, people and their affiliations.")),
    ("/manage/import", N_("Import people"), N_("People and affiliations from a spreadsheet.")),
    ("/manage/guests", N_("Guests"), N_("Who answered a public convening as a guest.")),
    ("/manage/convenings", N_("Convenings"), N_("Schedule, edit and cancel; repeating ones.")),
    ("/manage/series", N_("Series"), N_("Groups of convenings, such as a year's sessions.")),
    ("/manage/committee", N_("Committee"), N_("Seats, proposals and voting.")),
    ("/manage/operations", N_("Operations"), N_("Email, suppressions, API clients, audit.")),
    ("/admins", N_("Admins"), N_("Who runs the hub; signing someone out everywhere.")),
)


@page_endpoint
async def manage_page(page: Page) -> Response:
    if not page.signed_in:
        raise PageRefused("UNAUTHENTICATED")
    since = datetime.now(UTC) - RECENTLY_ENDED
    data = await page.query("manage", {"from": since.isoformat()})
    managed = [
        edge["node"] for edge in data["convenings"]["edges"] if edge["node"]["viewerMayManage"]
    ]
    is_admin = bool(data["viewer"] and data["viewer"]["isAdmin"])
    if not is_admin and not managed:
        raise PageRefused("FORBIDDEN")
    return await page.render(
        "manage.html",
        sections=ADMIN_SECTIONS if is_admin else (),
        convenings=managed,
    )


def routes() -> list[BaseRoute]:
    return [Route("/manage", manage_page, methods=["GET"])]

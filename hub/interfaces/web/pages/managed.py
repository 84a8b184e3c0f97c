"""A convening as its managers' pages read it: refused unless the schema shows the viewer its
`needsTotals` (admins and the host organizations' contacts), with all its RSVPs read page by
page (a few hundred at most)."""

from __future__ import annotations

from typing import Any

from hub.interfaces.web.pages.page import Page
from hub.interfaces.web.pages.runner import PageRefused

MAX_PAGES = 20


async def managed_convening(
    page: Page, document: str, listed_as: str, variables: dict[str, Any]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The document's data (from its first page) and every RSVP of its `listed_as` list."""
    if not page.signed_in:
        raise PageRefused("UNAUTHENTICATED")
    given = {"id": page.request.path_params["id"], **variables}
    rsvps: list[dict[str, Any]] = []
    first: dict[str, Any] | None = None
    after = None
    for _ in range(MAX_PAGES):
        data = await page.query(document, {**given, "after": after})
        convening = data["node"]
        if convening is None or "title" not in convening:
            raise PageRefused("NOT_FOUND")
        if convening["needsTotals"] is None:  # admins and host contacts only
            raise PageRefused("FORBIDDEN")
        first = first or data
        listed = convening[listed_as]
        rsvps += [edge["node"] for edge in listed["edges"]]
        if not listed["pageInfo"]["hasNextPage"]:
            break
        after = listed["pageInfo"]["endCursor"]
    assert first is not None
    return first, rsvps

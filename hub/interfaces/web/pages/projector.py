"""The projector: a committee meeting shown to the room, kept current by short polling.

The page and its live part (`/projector/live`, a small HTML fragment) run one document; a
script replaces the live part every few seconds (a plain GET, so any reverse proxy passes it),
and without the script the page refreshes itself. While a vote is open only its turnout shows,
whatever the ballot: choices appear with the result, once voting has closed."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from hub.interfaces.web.pages.chart import results_chart
from hub.interfaces.web.pages.page import Page, page_endpoint
from hub.interfaces.web.pages.proposals import CHOICES
from hub.interfaces.web.pages.runner import PageRefused

POLL_SECONDS = 3


@page_endpoint
async def projector_page(page: Page) -> Response:
    return await page.render("projector.html", **await _room(page), poll_seconds=POLL_SECONDS)


@page_endpoint
async def projector_live(page: Page) -> Response:
    response = await page.render("_projector_live.html", **await _room(page))
    response.headers["Cache-Control"] = "no-store"
    return response


async def _room(page: Page) -> dict[str, Any]:
    meeting_id = page.request.path_params["id"]
    meeting = (await page.query("projector", {"meetingId": meeting_id}))["committeeMeeting"]
    if meeting is None:
        raise PageRefused("NOT_FOUND")
    item = meeting["currentItem"]
    proposal: dict[str, Any] = (item and item["proposal"]) or {}
    tally = proposal.get("tally")
    final = tally if tally and tally["final"] else None
    return {
        "meeting": meeting,
        "meeting_id": meeting_id,
        "item": item,
        "proposal": proposal or None,
        "tally": tally,
        "results": final,
        "chart": results_chart(final, _choices(proposal)) if final else None,
        "roll_call": _roll_call(proposal) if final else [],
    }


def _choices(proposal: dict[str, Any]) -> tuple[str, ...]:
    return CHOICES if proposal["votingRule"] == "CONSENSUS" else CHOICES[:3]


def _roll_call(proposal: dict[str, Any]) -> list[dict[str, Any]]:
    """A closed RECORDED ballot's votes by seat; a secret ballot has none to show."""
    if proposal["ballot"] != "RECORDED":
        return []
    votes = proposal["votes"] or []
    return sorted(
        votes, key=lambda vote: vote["seat"]["organization"]["name"] if vote["seat"] else ""
    )

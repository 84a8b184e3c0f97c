"""Proposals: the list, a proposal's page with its vote for seat holders, and its results."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from hub.web.pages.chart import results_chart
from hub.web.pages.messages import N_
from hub.web.pages.page import Page, page_endpoint
from hub.web.pages.runner import PageRefused

CHOICES = ("YES", "NO", "ABSTAIN", "BLOCK")
VOTED = N_("Your seat's vote is saved. You may change it until voting closes.")


@page_endpoint
async def proposal_list(page: Page) -> Response:
    data = await page.query("proposals", {"after": page.request.query_params.get("after")})
    return await page.render("proposals.html", proposals=data["proposals"])


@page_endpoint
async def proposal_page(page: Page) -> Response:
    return await _render_proposal(page)


@page_endpoint
async def vote(page: Page) -> Response:
    form = await page.form()
    proposal_id = page.request.path_params["id"]
    choice = form.get("choice")
    if choice not in CHOICES:
        return await _render_proposal(page, 422, errors={"choice": "REQUIRED"})
    variables = {"input": {"proposalId": proposal_id, "choice": choice}}
    payload = (await page.query("castVote", variables))["castVote"]
    if payload["errors"]:
        return await _render_proposal(page, 422, errors={"choice": payload["errors"][0]["code"]})
    if page.is_fetch:
        return await _render_proposal(page, status=VOTED)
    return await page.redirect(f"/proposals/{proposal_id}", status=VOTED)


async def _render_proposal(page: Page, status_code: int = 200, **values: Any) -> Response:
    data = await page.query("proposal", {"id": page.request.path_params["id"]})
    proposal = data["node"]
    if proposal is None or "title" not in proposal:
        raise PageRefused("NOT_FOUND")
    tally = proposal["tally"]
    # Results show only once voting has closed, whatever a viewer could read while it is open.
    final = tally if tally and tally["final"] else None
    choices = CHOICES if proposal["votingRule"] == "CONSENSUS" else CHOICES[:3]
    return await page.render(
        "proposal.html",
        status_code,
        proposal=proposal,
        results=final,
        chart=results_chart(final, choices) if final else None,
        choices=choices,
        may_vote=proposal["status"] == "VOTING" and bool(proposal["viewerSeats"]),
        **values,
    )

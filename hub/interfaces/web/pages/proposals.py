"""Proposals: the list, a proposal's page with its vote for seat holders, its discussion and
amendments, the versions of its text, and its results."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from starlette.datastructures import FormData
from starlette.responses import Response

from hub.interfaces.web.pages.chart import results_chart
from hub.interfaces.web.pages.messages import N_, field_errors
from hub.interfaces.web.pages.page import Page, page_endpoint
from hub.interfaces.web.pages.runner import PageRefused

CHOICES = ("YES", "NO", "ABSTAIN", "BLOCK")
VOTED = N_("Your seat's vote is saved. You may change it until voting closes.")
COMMENTED = N_("Your comment is posted.")
EDITED = N_("Your comment is changed.")
COMMENT_WITHDRAWN = N_("Your comment is withdrawn.")
COMMENT_HIDDEN = N_("The comment is hidden.")
AMENDMENT_PROPOSED = N_("Your amendment is proposed: the sponsors will accept or reject it.")
AMENDMENT_ACCEPTED = N_("The amendment is accepted: it is now the proposal's text.")
AMENDMENT_REJECTED = N_("The amendment is rejected.")
# The amendment form's two buttons: the mutation each runs, and what the page then says.
DECISIONS = {
    "accept": ("acceptAmendment", AMENDMENT_ACCEPTED),
    "reject": ("rejectAmendment", AMENDMENT_REJECTED),
}


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
    if form.get("reason") is not None:
        variables["input"]["reason"] = _text(form, "reason")
    payload = (await page.query("castVote", variables))["castVote"]
    if payload["errors"]:
        error = payload["errors"][0]
        field = "reason" if error["field"] == "reason" else "choice"
        return await _render_proposal(page, 422, errors={field: error["code"]})
    if payload["receiptCode"] or page.is_fetch:
        # A secret ballot's receipt code is shown this once: it goes in no redirect or cookie.
        return await _render_proposal(page, status=VOTED, receipt_code=payload["receiptCode"])
    return await page.redirect(f"/proposals/{proposal_id}", status=VOTED)


@page_endpoint
async def check_receipt(page: Page) -> Response:
    """A secret ballot's receipt code checked after the close: the answer is shown to whoever
    typed the code, on the page, and kept nowhere (a POST, so the code is in no address)."""
    form = await page.form()
    code = _text(form, "code").strip()
    if not code:
        return await _render_proposal(page, 422, errors={"code": "REQUIRED"})
    variables = {"proposalId": page.request.path_params["id"], "code": code}
    found = (await page.query("ballotReceipt", variables))["ballotReceipt"]
    if found is None:
        raise PageRefused("NOT_FOUND")
    return await _render_proposal(page, receipt_check=found)


@page_endpoint
async def comment(page: Page) -> Response:
    form = await page.form()
    parent = str(form.get("parentId") or "") or None
    variables = {"proposalId": page.request.path_params["id"], "body": _text(form, "body")}
    if parent:
        variables["parentId"] = parent
    where = f"reply-{parent}" if parent else "comment"
    return await _act(page, form, "addComment", variables, where, COMMENTED)


@page_endpoint
async def edit_comment(page: Page) -> Response:
    form = await page.form()
    comment_id = _text(form, "commentId")
    variables = {"commentId": comment_id, "body": _text(form, "body")}
    return await _act(page, form, "editComment", variables, f"edit-{comment_id}", EDITED)


@page_endpoint
async def withdraw_comment(page: Page) -> Response:
    form = await page.form()
    comment_id = _text(form, "commentId")
    variables = {"commentId": comment_id}
    where = f"withdraw-{comment_id}"
    return await _act(page, form, "withdrawComment", variables, where, COMMENT_WITHDRAWN)


@page_endpoint
async def hide_comment(page: Page) -> Response:
    form = await page.form()
    comment_id = _text(form, "commentId")
    variables = {"commentId": comment_id, "reason": _text(form, "reason")}
    return await _act(page, form, "hideComment", variables, f"hide-{comment_id}", COMMENT_HIDDEN)


@page_endpoint
async def propose_amendment(page: Page) -> Response:
    form = await page.form()
    variables = {
        "proposalId": page.request.path_params["id"],
        "body": _text(form, "body"),
        "rationale": _text(form, "rationale"),
    }
    return await _act(page, form, "proposeAmendment", variables, "amendment", AMENDMENT_PROPOSED)


@page_endpoint
async def decide_amendment(page: Page) -> Response:
    form = await page.form()
    amendment_id = _text(form, "amendmentId")
    decision = form.get("decision")
    if decision not in DECISIONS:
        errors = {"": "REQUIRED"}
        return await _render_proposal(page, 422, errors=errors, error_form=f"decide-{amendment_id}")
    document, done = DECISIONS[str(decision)]
    variables = {"amendmentId": amendment_id}
    return await _act(page, form, document, variables, f"decide-{amendment_id}", done)


def _has_opened(opens_at: str | None) -> bool:
    """Whether a window's start has come (an admin may open voting at a later time)."""
    return opens_at is None or datetime.fromisoformat(opens_at) <= datetime.now(UTC)


def _text(form: FormData, name: str) -> str:
    return str(form.get(name) or "")


async def _act(
    page: Page,
    form: FormData,
    document: str,
    variables: dict[str, Any],
    where: str,
    done: str,
) -> Response:
    """Runs the mutation; its errors show beside the form they came from (`where`), with what
    was typed kept."""
    payload = (await page.query(document, {"input": variables}))[document]
    if payload["errors"]:
        errors = {"": payload["errors"][0]["code"], **field_errors(payload["errors"])}
        typed = {name: _text(form, name) for name in ("body", "rationale", "reason")}
        return await _render_proposal(page, 422, errors=errors, error_form=where, typed=typed)
    if page.is_fetch:
        return await _render_proposal(page, status=done)
    return await page.redirect(f"/proposals/{page.request.path_params['id']}", status=done)


async def _render_proposal(page: Page, status_code: int = 200, **values: Any) -> Response:
    data = await page.query("proposal", {"id": page.request.path_params["id"]})
    proposal = data["node"]
    if proposal is None or "title" not in proposal:
        raise PageRefused("NOT_FOUND")
    tally = proposal["tally"]
    # Results show only once voting has closed, whatever a viewer could read while it is open.
    final = tally if tally and tally["final"] else None
    choices = CHOICES if proposal["votingRule"] == "CONSENSUS" else CHOICES[:3]
    opened = _has_opened(proposal["votingOpensAt"])
    return await page.render(
        "proposal.html",
        status_code,
        proposal=proposal,
        results=final,
        chart=results_chart(final, choices) if final else None,
        choices=choices,
        may_vote=proposal["status"] == "VOTING" and bool(proposal["viewerSeats"]) and opened,
        opens_later=not opened,
        is_admin=bool(data["viewer"] and data["viewer"]["isAdmin"]),
        error_form=values.pop("error_form", None),
        typed=values.pop("typed", {}),
        **values,
    )

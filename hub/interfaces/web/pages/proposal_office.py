"""The proposals' back office: `/manage/proposals` (every proposal the writer sees, with what
they may do to it), `/manage/proposals/new`, and `/manage/proposals/{id}/edit`: the text,
sponsors and origin while in DRAFT or DISCUSSION, the moves of its lifecycle, opening voting
and closing it early. The results show on the proposal's own page, `/proposals/{id}`."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from starlette.datastructures import FormData
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from hub.domains.governance.proposals import STATUS_MOVES
from hub.infrastructure.models.governance import ProposalStatus
from hub.interfaces.web.pages.messages import N_, field_errors
from hub.interfaces.web.pages.page import Page, page_endpoint
from hub.interfaces.web.pages.runner import PageRefused

CREATED = N_("The proposal is saved as a draft.")
SAVED = N_("The proposal is saved.")
MOVED = {
    "DISCUSSION": N_("The proposal is open for discussion."),
    "DRAFT": N_("The proposal is back to draft."),
    "WITHDRAWN": N_("The proposal is withdrawn."),
}
VOTING_OPENED = N_("Voting is open.")
VOTING_CLOSED = N_("Voting is closed: the results are on the proposal's page.")
RULES = ("MAJORITY", "TWO_THIRDS", "CONSENSUS")
BALLOTS = ("RECORDED", "SECRET")
TEXT_FIELDS = ("title", "summary", "body")
FORM_FIELDS = {
    "edit": (*TEXT_FIELDS, "sponsorOrganizationIds", "originConveningId"),
    "voting": ("rule", "ballot", "quorum", "opensAt", "closesAt"),
}
# Convenings a proposal may come out of: those of the last two years, and those to come.
ORIGIN_YEARS = 2
GET, POST = ["GET"], ["POST"]


def routes() -> list[BaseRoute]:
    return [
        Route("/manage/proposals", proposal_list, methods=GET),
        Route("/manage/proposals/new", new_form, methods=GET),
        Route("/manage/proposals/new", create, methods=POST),
        Route("/manage/proposals/{id}/edit", edit_form, methods=GET),
        Route("/manage/proposals/{id}/edit", update, methods=POST),
        Route("/manage/proposals/{id}/status", move, methods=POST),
        Route("/manage/proposals/{id}/open-voting", open_voting, methods=POST),
        Route("/manage/proposals/{id}/close-voting", close_voting, methods=POST),
    ]


def _require_writer(page: Page, data: dict[str, Any]) -> None:
    """The schema's say: only its proposal writers use these pages."""
    if not data["viewerMayWriteProposals"]:
        raise PageRefused("FORBIDDEN" if page.signed_in else "UNAUTHENTICATED")


@page_endpoint
async def proposal_list(page: Page) -> Response:
    data = await page.query("manageProposals", {"after": page.request.query_params.get("after")})
    _require_writer(page, data)
    return await page.render("manage_proposals.html", proposals=data["proposals"])


@page_endpoint
async def new_form(page: Page) -> Response:
    return await _render_new(page)


@page_endpoint
async def create(page: Page) -> Response:
    form = await page.form()
    variables = {
        **_text_of(form),
        "sponsorOrganizationIds": form.getlist("sponsorOrganizationIds"),
        "originConveningId": _chosen(form, "originConveningId"),
        "idempotencyKey": _chosen(form, "idempotencyKey"),
    }
    payload = (await page.query("createProposal", {"input": variables}))["createProposal"]
    if payload["errors"]:
        return await _render_new(page, 422, _errors(payload["errors"]), form)
    return await page.redirect(_edit_url(payload["proposal"]["id"]), status=CREATED)


@page_endpoint
async def edit_form(page: Page) -> Response:
    return await _render_edit(page)


@page_endpoint
async def update(page: Page) -> Response:
    form = await page.form()
    variables = {
        "id": page.request.path_params["id"],
        **_text_of(form),
        "sponsorOrganizationIds": form.getlist("sponsorOrganizationIds"),
        "originConveningId": _chosen(form, "originConveningId"),
    }
    return await _act(page, form, "updateProposal", variables, SAVED, "edit")


@page_endpoint
async def move(page: Page) -> Response:
    form = await page.form()
    status = str(form.get("status") or "")
    if status not in MOVED:
        return await _render_edit(page, 422, {"status": "INVALID_STATUS_CHANGE"}, "status")
    variables = {"id": page.request.path_params["id"], "status": status}
    return await _act(page, form, "updateProposal", variables, MOVED[status], "status")


@page_endpoint
async def open_voting(page: Page) -> Response:
    form = await page.form()
    terms, errors = _voting_terms(form, ZoneInfo(page.runtime.settings.time_zone))
    if errors:
        return await _render_edit(page, 422, errors, "voting", form)
    variables = {"proposalId": page.request.path_params["id"], **terms}
    payload = (await page.query("openVoting", {"input": variables}))["openVoting"]
    if payload["errors"] and not await _voting_is_open(page, payload["errors"]):
        return await _render_edit(page, 422, _errors(payload["errors"]), "voting", form)
    return await page.redirect(_edit_url(page.request.path_params["id"]), status=VOTING_OPENED)


@page_endpoint
async def close_voting(page: Page) -> Response:
    form = await page.form()
    variables = {"proposalId": page.request.path_params["id"]}
    return await _act(page, form, "closeVoting", variables, VOTING_CLOSED, "close")


def _text_of(form: FormData) -> dict[str, str]:
    return {name: str(form.get(name) or "") for name in TEXT_FIELDS}


def _chosen(form: FormData, name: str) -> str | None:
    return str(form.get(name) or "").strip() or None


def _edit_url(proposal_id: str) -> str:
    return f"/manage/proposals/{proposal_id}/edit"


def _voting_terms(form: FormData, zone: ZoneInfo) -> tuple[dict[str, Any], dict[str, str]]:
    """The window's terms as the API takes them, or the fields' errors: the quorum typed as a
    percentage of the seats, the start (empty: now) and the close typed in the committee's
    time zone."""
    errors: dict[str, str] = {}
    rule, ballot = str(form.get("rule") or ""), str(form.get("ballot") or "")
    if rule not in RULES:
        errors["rule"] = "REQUIRED"
    if ballot not in BALLOTS:
        errors["ballot"] = "REQUIRED"
    quorum = _share(str(form.get("quorum") or ""))
    if quorum is None:
        errors["quorum"] = "INVALID_QUORUM"
    closes_at = _moment(str(form.get("closesAt") or ""), zone)
    if closes_at is None:
        errors["closesAt"] = "INVALID_TIME"
    terms = {"rule": rule, "ballot": ballot, "quorum": quorum, "closesAt": closes_at}
    opens = str(form.get("opensAt") or "").strip()
    if opens:  # left empty, voting opens now
        terms["opensAt"] = _moment(opens, zone)
        if terms["opensAt"] is None:
            errors["opensAt"] = "INVALID_TIME"
    return terms, errors


def _share(percent: str) -> float | None:
    """ "50" (percent) as 0.5; None for what is not a number. The schema judges the range."""
    try:
        share = Decimal(percent.strip().replace(",", ".")) / 100
    except InvalidOperation:
        return None
    return float(share) if share.is_finite() else None


def _moment(typed: str, zone: ZoneInfo) -> str | None:
    """A `datetime-local` value read in the committee's zone, with its offset."""
    try:
        moment = datetime.fromisoformat(typed.strip())
    except ValueError:
        return None
    if moment.tzinfo is not None:
        return None
    return moment.replace(tzinfo=zone).isoformat()


async def _voting_is_open(page: Page, errors: list[dict[str, str]]) -> bool:
    """A second press of "Open voting" finds the proposal voting already: it opened once."""
    if [e["code"] for e in errors] != ["INVALID_STATUS_CHANGE"]:
        return False
    data = await page.query("manageProposal", {"id": page.request.path_params["id"]})
    return bool(data["node"]) and data["node"].get("status") == "VOTING"


def _errors(errors: list[dict[str, str]]) -> dict[str, str]:
    """Each error beside its field; one about the proposal as a whole above the form."""
    by_field = field_errors(errors)
    whole = by_field.pop("", None) or by_field.pop("proposalId", None) or by_field.pop("id", None)
    if whole == "TEXT_FROZEN":
        whole = "EDIT_FROZEN"
    return {**by_field, "form": whole} if whole else by_field


async def _act(
    page: Page,
    form: FormData,
    document: str,
    variables: dict[str, Any],
    done: str,
    where: str,
) -> Response:
    payload = (await page.query(document, {"input": variables}))[document]
    if payload["errors"]:
        return await _render_edit(page, 422, _errors(payload["errors"]), where, form)
    return await page.redirect(_edit_url(page.request.path_params["id"]), status=done)


async def _choices(page: Page) -> dict[str, Any]:
    """Every organization (a sponsor), and the convenings a proposal may come out of."""
    since = (datetime.now(UTC) - timedelta(days=365 * ORIGIN_YEARS)).isoformat()
    organizations: list[dict[str, Any]] = []
    after = None
    while True:
        data = await page.query("proposalChoices", {"after": after, "from": since})
        _require_writer(page, data)
        organizations += [edge["node"] for edge in data["organizations"]["edges"]]
        if not data["organizations"]["pageInfo"]["hasNextPage"]:
            break
        after = data["organizations"]["pageInfo"]["endCursor"]
    convenings = [edge["node"] for edge in data["convenings"]["edges"]]
    return {"organizations": organizations, "convenings": convenings}


async def _render_new(
    page: Page,
    status_code: int = 200,
    errors: dict[str, str] | None = None,
    form: FormData | None = None,
) -> Response:
    choices = await _choices(page)
    typed = _typed(form) if form is not None else _blank()
    return await page.render(
        "manage_proposal_new.html", status_code, typed=typed, errors=errors or {}, **choices
    )


def _blank() -> dict[str, Any]:
    # The form's own key: sent twice (a double click, a resent form), it makes one proposal.
    return {
        "title": "",
        "summary": "",
        "body": "",
        "sponsorOrganizationIds": [],
        "originConveningId": "",
        "idempotencyKey": secrets.token_urlsafe(16),
    }


def _typed(form: FormData) -> dict[str, Any]:
    return {
        **_text_of(form),
        "sponsorOrganizationIds": form.getlist("sponsorOrganizationIds"),
        "originConveningId": str(form.get("originConveningId") or ""),
        "idempotencyKey": str(form.get("idempotencyKey") or "") or secrets.token_urlsafe(16),
        **{name: str(form.get(name) or "") for name in FORM_FIELDS["voting"]},
    }


def _as_stored(proposal: dict[str, Any]) -> dict[str, Any]:
    return {
        **{name: proposal[name] or "" for name in TEXT_FIELDS},
        "sponsorOrganizationIds": [s["id"] for s in proposal["sponsors"]],
        "originConveningId": (proposal["originConvening"] or {}).get("id", ""),
        "rule": "MAJORITY",
        "ballot": "RECORDED",
        "quorum": "50",
        "opensAt": "",
        "closesAt": "",
    }


async def _render_edit(
    page: Page,
    status_code: int = 200,
    errors: dict[str, str] | None = None,
    where: str | None = None,
    form: FormData | None = None,
) -> Response:
    data = await page.query("manageProposal", {"id": page.request.path_params["id"]})
    _require_writer(page, data)
    proposal = data["node"]
    if not proposal or "title" not in proposal:
        raise PageRefused("NOT_FOUND")
    choices = await _choices(page) if proposal["viewerMayEdit"] else {}
    typed = _as_stored(proposal)
    if form is not None:
        # What was just sent stays in the form it was sent from.
        fresh = _typed(form)
        typed.update({name: fresh[name] for name in FORM_FIELDS.get(where or "", ())})
    return await page.render(
        "manage_proposal_edit.html",
        status_code,
        proposal=proposal,
        typed=typed,
        errors=errors or {},
        error_form=where,
        rules=RULES,
        ballots=BALLOTS,
        moves=_moves(proposal["status"]) if proposal["viewerMayEdit"] else [],
        **choices,
    )


def _moves(status: str) -> list[str]:
    """The lifecycle's moves a writer makes by hand from this status (voting opens apart)."""
    return [move.value for move in STATUS_MOVES.get(ProposalStatus(status), ())]

"""The decision register: `/decisions`, every decision the reader may see with its outcome,
tally and follow-up actions (forms for admins and sponsors), and `/decisions.csv`, the same
rows for a spreadsheet."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from starlette.datastructures import FormData
from starlette.responses import Response

from hub.interfaces.web.pages.i18n import translations
from hub.interfaces.web.pages.messages import N_, field_errors
from hub.interfaces.web.pages.page import Page, page_endpoint
from hub.interfaces.web.spreadsheet import spreadsheet_csv

STATUSES = ("OPEN", "DONE", "DROPPED")
WORDS = {
    "ADOPTED": N_("Adopted"),
    "REJECTED": N_("Rejected"),
    "OPEN": N_("Open"),
    "DONE": N_("Done"),
    "DROPPED": N_("Dropped"),
}
ONLINE = N_("Online vote")
ADDED = N_("The follow-up action is added.")
UPDATED = N_("The follow-up action is changed.")
HEADER = [
    "decision",
    "outcome",
    "decided_on",
    "decided_in",
    "yes",
    "no",
    "abstain",
    "block",
    "seats_voted",
    "seats_eligible",
    "action",
    "owner",
    "due_on",
    "action_status",
    "notes",
]
Row = list[str | int]


@page_endpoint
async def decision_register(page: Page) -> Response:
    return await _render(page)


@page_endpoint
async def decision_register_csv(page: Page) -> Response:
    rows = decision_rows(await _all_decisions(page), page.language, _zone(page))
    return Response(
        spreadsheet_csv(HEADER, rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="decisions.csv"'},
    )


@page_endpoint
async def add_action(page: Page) -> Response:
    form = await page.form()
    variables = {
        "proposalId": page.request.path_params["id"],
        "what": _text(form, "what"),
        "organizationId": _text(form, "organizationId"),
        "notes": _text(form, "notes"),
    }
    due = _due(form)
    if due == "invalid":
        return await _render(page, 422, {"dueOn": "REQUIRED"}, f"add-{variables['proposalId']}")
    if due:
        variables["dueOn"] = due
    where = f"add-{variables['proposalId']}"
    return await _act(page, "addFollowUpAction", variables, where, ADDED)


@page_endpoint
async def update_action(page: Page) -> Response:
    form = await page.form()
    action_id = _text(form, "actionId")
    status = _text(form, "status")
    if status not in STATUSES:
        return await _render(page, 422, {"status": "INVALID_ACTION_STATUS"}, f"update-{action_id}")
    variables = {"actionId": action_id, "status": status, "notes": _text(form, "notes")}
    return await _act(page, "updateFollowUpAction", variables, f"update-{action_id}", UPDATED)


async def actions_due_by(page: Page, convening: dict[str, Any]) -> list[dict[str, Any]] | None:
    """A committee meeting's "actions due": the OPEN actions due by its day in its own zone;
    None for any other convening."""
    if convening.get("kind") != "COMMITTEE_MEETING":
        return None
    starts = datetime.fromisoformat(convening["startsAt"]).astimezone(
        ZoneInfo(convening["timeZone"])
    )
    data = await page.query("actionsDue", {"onOrBefore": starts.date().isoformat()})
    return data["followUpActionsDue"]  # type: ignore[no-any-return]


def decision_rows(decisions: list[dict[str, Any]], language: str, zone: ZoneInfo) -> list[Row]:
    """One row per follow-up action (one for a decision without any), as the page shows them."""
    words = translations(language).gettext
    return [
        _decision_cells(decision, words, zone) + _action_cells(action, words)
        for decision in decisions
        for action in (decision["actions"] or [None])
    ]


def _decision_cells(decision: dict[str, Any], words: Any, zone: ZoneInfo) -> Row:
    tally = decision["tally"] or {}
    meeting = decision["meeting"]
    opened, closed = _day(decision["votingOpensAt"], zone), _day(decision["closedAt"], zone)
    where = meeting["title"] if meeting else f"{words(ONLINE)} {opened} \u2013 {closed}"
    counts = ("yes", "no", "abstain", "block", "seatsVoted", "seatsEligible")
    return [
        decision["title"],
        words(WORDS[decision["status"]]),
        closed,
        where,
        *[tally.get(name) or 0 for name in counts],
    ]


def _action_cells(action: dict[str, Any] | None, words: Any) -> Row:
    if action is None:
        return ["", "", "", "", ""]
    owner = action["organization"]
    return [
        action["what"],
        owner["name"] if owner else "",
        action["dueOn"] or "",
        words(WORDS[action["status"]]),
        action["notes"] or "",
    ]


def _day(moment: str | None, zone: ZoneInfo) -> str:
    return datetime.fromisoformat(moment).astimezone(zone).date().isoformat() if moment else ""


def _zone(page: Page) -> ZoneInfo:
    return ZoneInfo(page.runtime.settings.time_zone)


async def _all_decisions(page: Page) -> list[dict[str, Any]]:
    decisions: list[dict[str, Any]] = []
    after = None
    while True:
        register = (await page.query("decisions", {"after": after}))["decisionRegister"]
        decisions += [edge["node"] for edge in register["edges"]]
        if not register["pageInfo"]["hasNextPage"]:
            return decisions
        after = register["pageInfo"]["endCursor"]


def _text(form: FormData, name: str) -> str:
    return str(form.get(name) or "")


def _due(form: FormData) -> str | None:
    """The due date typed (YYYY-MM-DD), none, or "invalid"."""
    typed = _text(form, "dueOn").strip()
    if not typed:
        return None
    try:
        return date.fromisoformat(typed).isoformat()
    except ValueError:
        return "invalid"


async def _act(
    page: Page, document: str, variables: dict[str, Any], where: str, done: str
) -> Response:
    payload = (await page.query(document, {"input": variables}))[document]
    if payload["errors"]:
        errors = {"": payload["errors"][0]["code"], **field_errors(payload["errors"])}
        return await _render(page, 422, errors, where)
    return await page.redirect("/decisions", status=done)


async def _render(
    page: Page,
    status_code: int = 200,
    errors: dict[str, str] | None = None,
    error_form: str | None = None,
) -> Response:
    decisions = await _all_decisions(page)
    writers = any(d["viewerDecidesAmendments"] for d in decisions)
    organizations = (await page.query("organizationChoices"))["organizations"] if writers else None
    rows = decision_rows(decisions, page.language, _zone(page))
    starts = _first_rows(decisions)
    return await page.render(
        "decisions.html",
        status_code,
        decisions=decisions,
        rows=rows,
        starts=starts,
        organizations=organizations,
        statuses=STATUSES,
        words=WORDS,
        errors=errors or {},
        error_form=error_form,
    )


def _first_rows(decisions: list[dict[str, Any]]) -> list[int]:
    """The index of each decision's first row in the table."""
    starts, index = [], 0
    for decision in decisions:
        starts.append(index)
        index += max(1, len(decision["actions"]))
    return starts

"""The back office's convenings (/manage/convenings): the list, new and edit forms, cancelling
with a confirmation, and repeating convenings (/manage/convenings/repeat) previewed, then
scheduled. Every read and write is a document run as the reader: the schema decides."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from starlette.datastructures import FormData
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from hub.interfaces.web.pages import manage_series
from hub.interfaces.web.pages.convening_form import (
    MESSAGES,
    api_errors,
    form_key,
    host_fields,
    host_ids,
    read_fields,
    shown_fields,
    typed,
    zone_choices,
)
from hub.interfaces.web.pages.messages import N_, error_messages
from hub.interfaces.web.pages.page import Page, page_endpoint
from hub.interfaces.web.pages.runner import PageRefused

EARLY = "1970-01-01T00:00:00Z"
SCHEDULED = N_("The convening is scheduled.")
SAVED = N_("The convening is saved.")
CANCELLED = N_("The convening is cancelled. Everyone who answered is told.")
REPEATED = N_("The convenings are scheduled.")
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
POSITIONS = ("1", "2", "3", "4", "-1")


def routes() -> list[BaseRoute]:
    get, post = ["GET"], ["POST"]
    return [
        Route("/manage/convenings", convening_list, methods=get),
        Route("/manage/convenings/new", new_form, methods=get),
        Route("/manage/convenings/new", create, methods=post),
        Route("/manage/convenings/repeat", repeat_form, methods=get),
        Route("/manage/convenings/repeat", repeat, methods=post),
        Route("/manage/convenings/{id}/edit", edit_form, methods=get),
        Route("/manage/convenings/{id}/edit", update, methods=post),
        Route("/manage/convenings/{id}/cancel", cancel_form, methods=get),
        Route("/manage/convenings/{id}/cancel", cancel, methods=post),
        *manage_series.routes(),
    ]


def messages() -> dict[str, str]:
    return {**error_messages(), **MESSAGES}


def _now() -> str:
    return datetime.now(UTC).isoformat()


@page_endpoint
async def convening_list(page: Page) -> Response:
    data = await page.query("manageConvenings", {"now": _now(), "early": EARLY})
    return await page.render("manage_convenings.html", upcoming=data["upcoming"], past=data["past"])


@page_endpoint
async def new_form(page: Page) -> Response:
    values = {"timeZone": page.runtime.settings.time_zone, "kind": "STRATEGY_SESSION"}
    values.update(visibility="MEMBERS", formKey=form_key())
    return await _render_form(page, values=values)


@page_endpoint
async def create(page: Page) -> Response:
    form = await page.form()
    errors: dict[str, str] = {}
    given = await _template(page, form, errors)
    if errors:
        return await _render_form(page, 422, values=typed(form), errors=errors)
    given["idempotencyKey"] = str(form.get("formKey") or "") or None
    given["seriesSlug"] = str(form.get("series") or "") or None
    payload = (await page.query("createConvening", {"input": given}))["createConvening"]
    if payload["errors"]:
        errors = api_errors(payload["errors"])
        return await _render_form(page, 422, values=typed(form), errors=errors)
    return await page.redirect("/manage/convenings", status=SCHEDULED)


async def _template(page: Page, form: FormData, errors: dict[str, str]) -> dict[str, Any]:
    given = read_fields(form, errors)
    given["hostIds"] = await host_ids(page, form, errors)
    for name in ("startsAt", "endsAt"):
        if given[name] is None and name not in errors:
            errors[name] = "REQUIRED"
    return given


@page_endpoint
async def edit_form(page: Page) -> Response:
    convening = await _managed(page)
    return await _render_form(page, convening=convening, values=shown_fields(convening))


@page_endpoint
async def update(page: Page) -> Response:
    convening = await _managed(page)
    form = await page.form()
    errors: dict[str, str] = {}
    given = await _template(page, form, errors)
    if errors:
        return await _render_form(page, 422, convening=convening, values=typed(form), errors=errors)
    given.update(id=convening["id"], seriesSlug=str(form.get("series") or "") or None)
    payload = (await page.query("updateConvening", {"input": given}))["updateConvening"]
    if payload["errors"]:
        errors = api_errors(payload["errors"])
        return await _render_form(page, 422, convening=convening, values=typed(form), errors=errors)
    return await page.redirect("/manage/convenings", status=SAVED)


async def _managed(page: Page) -> dict[str, Any]:
    data = await page.query("manageConvening", {"id": page.request.path_params["id"]})
    convening = data["node"]
    if convening is None or "title" not in convening:
        raise PageRefused("NOT_FOUND")
    if not convening["viewerMayManage"]:
        raise PageRefused("FORBIDDEN")
    return convening  # type: ignore[no-any-return]


async def _render_form(
    page: Page, status_code: int = 200, convening: dict[str, Any] | None = None, **values: Any
) -> Response:
    choices = await page.query("manageConveningChoices")
    return await page.render(
        "manage_convening_form.html",
        status_code,
        host_fields=host_fields(values.get("values", {})),
        convening=convening,
        series=[edge["node"] for edge in choices["conveningSeries"]["edges"]],
        organizations=[edge["node"] for edge in choices["organizations"]["edges"]],
        zones=zone_choices(),
        error_messages=messages(),
        **values,
    )


@page_endpoint
async def cancel_form(page: Page) -> Response:
    convening = await _managed(page)
    return await page.render("manage_convening_cancel.html", convening=convening)


@page_endpoint
async def cancel(page: Page) -> Response:
    convening = await _managed(page)
    form = await page.form()
    if form.get("confirm") != "yes":
        return await page.render(
            "manage_convening_cancel.html",
            422,
            convening=convening,
            errors={"confirm": "CONFIRM_REQUIRED"},
            error_messages=messages(),
        )
    payload = (await page.query("cancelConvening", {"id": convening["id"]}))["cancelConvening"]
    if payload["errors"]:
        return await page.render(
            "manage_convening_cancel.html",
            422,
            convening=convening,
            errors={"confirm": payload["errors"][0]["code"]},
            error_messages=messages(),
        )
    return await page.redirect("/manage/convenings", status=CANCELLED)


@page_endpoint
async def repeat_form(page: Page) -> Response:
    values: dict[str, Any] = {
        "timeZone": page.runtime.settings.time_zone,
        "kind": "COMMITTEE_MEETING",
        "visibility": "MEMBERS",
        "frequency": "MONTHLY",
        "interval": "3",
        "weekday": "TH",
        "position": "2",
        "count": "4",
        "series": page.request.query_params.get("series", ""),
        "formKey": form_key(),
    }
    return await _render_repeat(page, values=values)


@page_endpoint
async def repeat(page: Page) -> Response:
    form = await page.form()
    errors: dict[str, str] = {}
    given = await _template(page, form, errors)
    given["recurrence"] = _recurrence(form, errors)
    if errors:
        return await _render_repeat(page, 422, values=typed(form), errors=errors)
    if form.get("step") == "preview":
        return await _preview(page, form, given)
    given.update(_series_choice(form), idempotencyKey=str(form.get("formKey") or "") or None)
    name = "scheduleRepeatingConvenings"
    payload = (await page.query(name, {"input": given}))[name]
    if payload["errors"]:
        errors = api_errors(payload["errors"])
        return await _render_repeat(page, 422, values=typed(form), errors=errors)
    series_id = payload["convenings"][0]["series"]["id"]
    return await page.redirect(f"/manage/series/{series_id}", status=REPEATED)


async def _preview(page: Page, form: FormData, given: dict[str, Any]) -> Response:
    wanted = {k: given[k] for k in ("startsAt", "endsAt", "timeZone", "rsvpDeadline")}
    wanted["recurrence"] = given["recurrence"]
    name = "repeatingConveningDates"
    found = (await page.query(name, {"input": wanted}))[name]
    if found["errors"]:
        errors = api_errors(found["errors"])
        return await _render_repeat(page, 422, values=typed(form), errors=errors)
    return await _render_repeat(page, values=typed(form), dates=found["dates"])


def _series_choice(form: FormData) -> dict[str, Any]:
    new_name = str(form.get("newSeriesName") or "").strip()
    if new_name:
        return {"newSeriesName": new_name, "seriesSlug": None}
    return {"seriesSlug": str(form.get("series") or "") or None}


def _recurrence(form: FormData, errors: dict[str, str]) -> dict[str, Any]:
    """The rule's fields: weekly on chosen weekdays; monthly on a weekday of a week, or on a
    day of the month; a count or an end date."""
    frequency = str(form.get("frequency") or "")
    if frequency not in ("WEEKLY", "MONTHLY"):
        errors["frequency"] = "CHOOSE_ONE"
    rule: dict[str, Any] = {"frequency": frequency}
    for name, field in (("interval", "interval"), ("count", "count"), ("byMonthDay", "monthDay")):
        value = str(form.get(field) or "").strip()
        if value and not value.isdigit():
            errors[field] = "NOT_A_NUMBER"
        rule[name] = int(value) if value.isdigit() else None
    rule["interval"] = rule["interval"] or 1
    until = str(form.get("until") or "").strip()
    rule["until"] = _date(until, errors)
    if frequency == "WEEKLY":
        rule["byWeekday"] = [d for d in form.getlist("weekdays") if d in WEEKDAYS]
        rule["byMonthDay"] = None
    elif str(form.get("monthly") or "weekday") == "weekday":
        rule["byWeekday"] = [d for d in [form.get("weekday")] if d in WEEKDAYS]
        position = str(form.get("position") or "")
        rule["bySetPosition"] = int(position) if position in POSITIONS else None
        rule["byMonthDay"] = None
    return rule


def _date(value: str, errors: dict[str, str]) -> str | None:
    if not value:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date().isoformat()
    except ValueError:
        errors["until"] = "NOT_A_DATE"
        return None


async def _render_repeat(page: Page, status_code: int = 200, **values: Any) -> Response:
    choices = await page.query("manageConveningChoices")
    return await page.render(
        "manage_repeating.html",
        status_code,
        host_fields=host_fields(values.get("values", {})),
        series=[edge["node"] for edge in choices["conveningSeries"]["edges"]],
        organizations=[edge["node"] for edge in choices["organizations"]["edges"]],
        zones=zone_choices(),
        error_messages=messages(),
        weekdays=WEEKDAYS,
        positions=POSITIONS,
        **values,
    )

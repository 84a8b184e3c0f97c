"""The committee's back office for admins: `/manage/committee`, the roster of seats with a
search for an organization to seat, and `/manage/committee/seats/{organization}`, a seat's
holder and alternate (picked from the organization's people or found by name), and vacating
it. The rules (who may, who may hold a seat) are the schema's; the page shows their errors."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from hub.interfaces.web.pages import proposal_office
from hub.interfaces.web.pages.messages import N_, field_errors
from hub.interfaces.web.pages.page import Page, page_endpoint
from hub.interfaces.web.pages.runner import PageRefused

SEAT_SAVED = N_("The seat is saved.")
SEAT_VACATED = N_("The seat is vacated.")
GET, POST = ["GET"], ["POST"]


def routes() -> list[BaseRoute]:
    return [
        Route("/manage/committee", roster, methods=GET),
        Route("/manage/committee/seats/{organization}", seat_page, methods=GET),
        Route("/manage/committee/seats/{organization}", assign, methods=POST),
        Route("/manage/committee/seats/{organization}/vacate", vacate, methods=POST),
        *proposal_office.routes(),
    ]


@page_endpoint
async def roster(page: Page) -> Response:
    search = page.request.query_params.get("q", "").strip()
    data = await page.query("committeeRoster", {"search": search, "searching": bool(search)})
    seats = data["committeeRoster"]
    found = [edge["node"] for edge in (data.get("organizations") or {}).get("edges", [])]
    seated = {seat["organization"]["id"] for seat in seats if seat["active"]}
    return await page.render(
        "manage_committee.html",
        held=[seat for seat in seats if seat["active"]],
        vacated=[seat for seat in seats if not seat["active"]],
        q=search,
        searching=bool(search),
        found=found,
        seated=seated,
    )


@page_endpoint
async def seat_page(page: Page) -> Response:
    return await _render_seat(page)


@page_endpoint
async def assign(page: Page) -> Response:
    form = await page.form()
    organization = page.request.path_params["organization"]
    holder, alternate = _chosen(form, "holderId"), _chosen(form, "alternateId")
    if holder is None:
        return await _render_seat(page, 422, {"holderId": "REQUIRED"}, form)
    variables = {"organizationId": organization, "holderId": holder, "alternateId": alternate}
    return await _act(page, form, "assignSeat", variables, SEAT_SAVED)


@page_endpoint
async def vacate(page: Page) -> Response:
    form = await page.form()
    variables = {"organizationId": page.request.path_params["organization"]}
    return await _act(page, form, "vacateSeat", variables, SEAT_VACATED)


def _chosen(form: FormData, name: str) -> str | None:
    return str(form.get(name) or "").strip() or None


async def _act(
    page: Page, form: FormData, document: str, variables: dict[str, Any], done: str
) -> Response:
    payload = (await page.query(document, {"input": variables}))[document]
    if payload["errors"]:
        return await _render_seat(page, 422, _errors(payload["errors"]), form)
    return await page.redirect("/manage/committee", status=done)


def _errors(errors: list[dict[str, str]]) -> dict[str, str]:
    """Each error beside its field; one about the seat as a whole above the form."""
    by_field = field_errors(errors)
    whole = by_field.pop("", None) or by_field.pop("organizationId", None)
    return {**by_field, "form": whole} if whole else by_field


async def _render_seat(
    page: Page,
    status_code: int = 200,
    errors: dict[str, str] | None = None,
    form: FormData | None = None,
) -> Response:
    organization_id = page.request.path_params["organization"]
    find = page.request.query_params.get("find", "").strip()
    variables = {"organization": organization_id, "find": find, "finding": bool(find)}
    data = await page.query("committeeSeat", variables)
    organization = data["node"]
    if not organization or "name" not in organization:
        raise PageRefused("NOT_FOUND")
    seat = next(
        (s for s in data["committeeRoster"] if s["organization"]["id"] == organization_id), None
    )
    return await page.render(
        "manage_seat.html",
        status_code,
        organization=organization,
        seat=seat,
        choices=_choices(organization, data, seat),
        find=find,
        found_count=len((data.get("people") or {}).get("edges", [])),
        chosen=_chosen_now(seat, form),
        errors=errors or {},
    )


def _choices(
    organization: dict[str, Any], data: dict[str, Any], seat: dict[str, Any] | None
) -> list[dict[str, str]]:
    """The people to pick from: the organization's own first, then those found by name (a
    person of another organization is refused by the schema, beside the field)."""
    people = [a["person"] for a in organization["affiliations"]]
    found = [edge["node"] for edge in (data.get("people") or {}).get("edges", [])]
    current = [p for p in ((seat or {}).get("holder"), (seat or {}).get("alternate")) if p]
    choices: dict[str, dict[str, str]] = {}
    for person in [*current, *sorted(people, key=lambda p: p["name"])]:
        choices.setdefault(person["id"], {"id": person["id"], "name": person["name"]})
    for person in found:
        where = ", ".join(a["organization"]["name"] for a in person.get("affiliations", []))
        label = f"{person['name']} ({where})" if where else person["name"]
        choices.setdefault(person["id"], {"id": person["id"], "name": label})
    return list(choices.values())


def _chosen_now(seat: dict[str, Any] | None, form: FormData | None) -> dict[str, str]:
    """What the selects show: what was just sent, or the seat as it stands."""
    if form is not None:
        return {name: str(form.get(name) or "") for name in ("holderId", "alternateId")}
    if seat is None or not seat["active"]:
        return {"holderId": "", "alternateId": ""}
    return {
        "holderId": (seat["holder"] or {}).get("id", ""),
        "alternateId": (seat["alternate"] or {}).get("id", ""),
    }

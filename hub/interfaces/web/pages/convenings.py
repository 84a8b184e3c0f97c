"""Convenings: the upcoming list, a convening's page, answering for yourself and (as an
organization's contact) for a delegation, and withdrawing an answer."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData
from starlette.responses import Response

from hub.interfaces.web.pages.decisions import actions_due_by
from hub.interfaces.web.pages.messages import N_, field_errors
from hub.interfaces.web.pages.page import Page, page_endpoint
from hub.interfaces.web.pages.runner import PageRefused

ACCESSIBILITY = ("ASL", "CAPTIONING", "MOBILITY", "LARGE_PRINT", "QUIET_SPACE", "OTHER")
ANSWERS = ("GOING", "MAYBE", "NOT_GOING")
SAVED = N_("Your answer is saved.")
WAITLISTED = N_("The convening is full: you are on the waitlist.")
DELEGATE_SAVED = N_("The delegate's answer is saved.")
WITHDRAWN = N_("The answer is withdrawn.")
# Errors about the convening as a whole (its deadline) belong beside the answer itself.
# The delegate's person and organization are chosen together, in one list.
FIELD_OF = {
    "conveningId": "status",
    "": "status",
    "personId": "delegate",
    "organizationId": "delegate",
}


@page_endpoint
async def convening_list(page: Page) -> Response:
    data = await page.query("convenings", {"after": page.request.query_params.get("after")})
    return await page.render("convenings.html", convenings=data["convenings"])


@page_endpoint
async def convening_page(page: Page) -> Response:
    return await _render_convening(page)


@page_endpoint
async def answer(page: Page) -> Response:
    form = await page.form()
    convening_id = page.request.path_params["id"]
    which = "delegate" if form.get("delegate") is not None else "self"
    built = _rsvp_input(convening_id, form)
    if isinstance(built, dict) and "errors" in built:
        return await _render_convening(
            page, 422, errors=built["errors"], error_form=which, form=form
        )
    payload = (await page.query("rsvp", {"input": built}))["rsvp"]
    if payload["errors"]:
        errors = _errors_on_fields(payload["errors"])
        return await _render_convening(page, 422, errors=errors, error_form=which, form=form)
    return await _answered(page, convening_id, _status_for(which, payload["rsvp"]))


@page_endpoint
async def withdraw(page: Page) -> Response:
    form = await page.form()
    convening_id = page.request.path_params["id"]
    payload = (await page.query("cancelRsvp", {"input": {"rsvpId": form.get("rsvpId")}}))[
        "cancelRsvp"
    ]
    if payload["errors"]:
        errors = {"withdraw": payload["errors"][0]["code"]}
        return await _render_convening(page, 422, errors=errors, error_form="withdraw")
    return await _answered(page, convening_id, WITHDRAWN)


async def _answered(page: Page, convening_id: str, status: str) -> Response:
    if page.is_fetch:
        return await _render_convening(page, status=status)
    return await page.redirect(f"/convenings/{convening_id}", status=status)


def _status_for(which: str, rsvp: dict[str, Any]) -> str:
    if which == "delegate":
        return DELEGATE_SAVED
    return WAITLISTED if rsvp["status"] == "WAITLISTED" else SAVED


def _errors_on_fields(errors: list[dict[str, str]]) -> dict[str, str]:
    return {FIELD_OF.get(field, field): code for field, code in field_errors(errors).items()}


def _rsvp_input(convening_id: str, form: FormData) -> dict[str, Any]:
    status = form.get("status")
    if status not in ANSWERS:
        return {"errors": {"status": "REQUIRED"}}
    childcare = str(form.get("childcareCount") or "0").strip()
    if not childcare.isdigit():
        return {"errors": {"childcareCount": "NEGATIVE_CHILDCARE"}}
    built: dict[str, Any] = {"conveningId": convening_id, "status": status, "needs": _needs(form)}
    built["needs"]["childcareCount"] = int(childcare)
    if form.get("delegate") is not None:
        person_id, _, organization_id = str(form.get("delegate")).partition(" ")
        if not person_id or not organization_id:
            return {"errors": {"delegate": "UNKNOWN_PERSON"}}
        built.update(personId=person_id, organizationId=organization_id)
    return built


def _needs(form: FormData) -> dict[str, Any]:
    return {
        "interpretationLanguage": form.get("interpretationLanguage") or None,
        "accessibility": [need for need in form.getlist("accessibility") if need in ACCESSIBILITY],
        "accessibilityNote": str(form.get("accessibilityNote") or ""),
        "dietary": str(form.get("dietary") or ""),
    }


async def _render_convening(page: Page, status_code: int = 200, **values: Any) -> Response:
    convening_id = page.request.path_params["id"]
    data = await page.query("convening", {"id": convening_id})
    convening = data["node"]
    if convening is None or "title" not in convening:
        raise PageRefused("NOT_FOUND")
    form: FormData | None = values.pop("form", None)
    error_form = values.get("error_form")
    own = convening["viewerRsvp"]
    return await page.render(
        "convening.html",
        status_code,
        convening=convening,
        links=data["calendarLinks"],
        **_delegation(convening, data["viewer"]),
        accessibility=ACCESSIBILITY,
        answers=ANSWERS,
        self_values=_from_form(form) if form and error_form == "self" else _from_rsvp(own),
        delegate_values=_from_form(form) if form and error_form == "delegate" else _from_rsvp(None),
        actions_due=await actions_due_by(page, convening),
        **values,
    )


def _from_form(form: FormData) -> dict[str, Any]:
    """What was typed, shown again beside its errors."""
    return {
        "status": form.get("status"),
        "delegate": form.get("delegate"),
        "interpretationLanguage": form.get("interpretationLanguage") or "",
        "accessibility": form.getlist("accessibility"),
        "accessibilityNote": form.get("accessibilityNote") or "",
        "childcareCount": form.get("childcareCount") or "0",
        "dietary": form.get("dietary") or "",
    }


def _from_rsvp(rsvp: dict[str, Any] | None) -> dict[str, Any]:
    needs = (rsvp or {}).get("needs") or {}
    status = (rsvp or {}).get("status")
    return {
        "status": "GOING" if status == "WAITLISTED" else status,
        "delegate": None,
        "interpretationLanguage": needs.get("interpretationLanguage") or "",
        "accessibility": needs.get("accessibility") or [],
        "accessibilityNote": needs.get("accessibilityNote") or "",
        "childcareCount": needs.get("childcareCount") or 0,
        "dietary": needs.get("dietary") or "",
    }


def _delegation(convening: dict[str, Any], viewer: dict[str, Any] | None) -> dict[str, Any]:
    """For an organization's contact: its people's answers here, and who else may be added."""
    if viewer is None:
        return {"contact_orgs": [], "delegates": [], "candidates": []}
    orgs = [a["organization"] for a in viewer["affiliations"] if a["role"] == "CONTACT"]
    org_ids = {org["id"] for org in orgs}
    rsvps = [edge["node"] for edge in (convening["rsvps"] or {"edges": []})["edges"]]
    delegates = [
        rsvp
        for rsvp in rsvps
        if rsvp["organization"]
        and rsvp["organization"]["id"] in org_ids
        and rsvp["person"]["id"] != viewer["id"]
        and rsvp["status"] != "NOT_GOING"
    ]
    answered = {rsvp["person"]["id"] for rsvp in delegates} | {viewer["id"]}
    candidates = [
        {"person": aff["person"], "organization": org}
        for org in orgs
        for aff in org["affiliations"]
        if aff["person"] and aff["person"]["id"] not in answered
    ]
    return {"contact_orgs": orgs, "delegates": delegates, "candidates": candidates}

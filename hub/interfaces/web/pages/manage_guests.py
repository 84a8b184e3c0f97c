"""Admins' list of guests (people who answered a PUBLIC convening as guests), each with the
organization they named, and a form to attach one to an organization of the directory."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from hub.interfaces.web.pages.messages import N_
from hub.interfaces.web.pages.page import Page, page_endpoint

ATTACHED = N_("%(name)s now belongs to the organization, and is no longer a guest.")
ROLES = ("MEMBER", "STAFF", "LEADER", "CONTACT")


def routes() -> list[BaseRoute]:
    return [
        Route("/manage/guests", guests_page, methods=["GET"]),
        Route("/manage/guests/attach", attach, methods=["POST"]),
    ]


@page_endpoint
async def guests_page(page: Page) -> Response:
    return await _render(page)


@page_endpoint
async def attach(page: Page) -> Response:
    form = await page.form()
    person_id = str(form.get("personId") or "")
    role = str(form.get("role") or "")
    variables = {
        "input": {
            "personId": person_id,
            "organizationId": str(form.get("organizationId") or ""),
            "role": role if role in ROLES else "MEMBER",
        }
    }
    data = await page.query("attachGuestToOrganization", variables)
    payload = data["attachGuestToOrganization"]
    if payload["errors"]:
        errors = {"": payload["errors"][0]["code"]}
        return await _render(page, 422, errors=errors, error_form=person_id)
    status = {"message": ATTACHED, "name": payload["person"]["name"]}
    return await _render(page, status=status)


async def _render(page: Page, status_code: int = 200, **values: Any) -> Response:
    data = await page.query("manageGuests")
    return await page.render(
        "manage_guests.html",
        status_code,
        guests=[edge["node"] for edge in data["guests"]["edges"]],
        total=data["guests"]["totalCount"],
        organizations=[edge["node"] for edge in data["organizations"]["edges"]],
        roles=ROLES,
        **values,
    )

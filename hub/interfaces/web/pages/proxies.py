"""A seat's proxy for a committee meeting, in writing: the form that gives it to another
seat's holder, and the list of the meeting's proxies with a button to revoke one's own."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from hub.interfaces.web.pages.messages import N_
from hub.interfaces.web.pages.page import Page, page_endpoint
from hub.interfaces.web.pages.runner import PageRefused

GIVEN = N_("Your seat's proxy is given. You may revoke it until a vote opens.")
REVOKED = N_("The proxy is revoked.")
# What each refusal means to the person at the form.
REFUSALS = {
    "PROXY_TO_OWN_SEAT": N_("Give the proxy to another seat's holder."),
    "PROXY_TO_VACANT_SEAT": N_("That seat is vacant: nobody could carry the proxy."),
    "PROXY_LIMIT_REACHED": N_("That holder already carries as many proxies as allowed."),
    "PROXY_ALREADY_GIVEN": N_("Your seat has already given its proxy: revoke it first."),
    "PROXY_AFTER_VOTING_OPENED": N_("A vote is open: proxies wait until it closes."),
    "PROXY_ALREADY_REVOKED": N_("This proxy was already revoked."),
    "UNKNOWN_SEAT": N_("Choose a seat from the list."),
}


@page_endpoint
async def proxy_page(page: Page) -> Response:
    return await _render(page)


@page_endpoint
async def give_proxy(page: Page) -> Response:
    form = await page.form()
    given = {
        "seatId": form.get("seatId"),
        "toSeatId": form.get("toSeatId"),
        "meetingId": page.request.path_params["id"],
    }
    if not given["seatId"] or not given["toSeatId"]:
        return await _render(page, 422, refusal="UNKNOWN_SEAT")
    payload = (await page.query("grantProxy", {"input": given}))["grantProxy"]
    return await _answer(page, payload, GIVEN)


@page_endpoint
async def revoke_proxy(page: Page) -> Response:
    form = await page.form()
    variables = {"input": {"proxyId": form.get("proxyId") or ""}}
    payload = (await page.query("revokeProxy", variables))["revokeProxy"]
    return await _answer(page, payload, REVOKED)


async def _answer(page: Page, payload: dict[str, Any], done: str) -> Response:
    if payload["errors"]:
        return await _render(page, 422, refusal=payload["errors"][0]["code"])
    if page.is_fetch:
        return await _render(page, status=done)
    meeting_id = page.request.path_params["id"]
    return await page.redirect(f"/convenings/{meeting_id}/proxy", status=done)


async def _render(page: Page, status_code: int = 200, **values: Any) -> Response:
    if not page.signed_in:
        raise PageRefused("UNAUTHENTICATED")
    meeting_id = page.request.path_params["id"]
    data = await page.query("meetingProxies", {"meetingId": meeting_id})
    meeting = data["committeeMeeting"]
    if meeting is None:
        raise PageRefused("NOT_FOUND")
    me = (data["viewer"] or {}).get("id")
    mine = [seat for seat in data["committee"] if me and me in _people(seat)]
    refusal = values.pop("refusal", None)
    return await page.render(
        "proxy.html",
        status_code,
        meeting=meeting,
        meeting_id=meeting_id,
        my_seats=mine,
        others=[s for s in data["committee"] if s not in mine and s["holder"]],
        mine_ids={seat["id"] for seat in mine},
        refusal=REFUSALS.get(refusal, N_("This cannot be saved. Check the value and try again."))
        if refusal
        else None,
        **values,
    )


def _people(seat: dict[str, Any]) -> set[str]:
    return {person["id"] for person in (seat["holder"], seat["alternate"]) if person}

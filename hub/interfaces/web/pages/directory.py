"""The directory: organizations by kind and region, with their public fields."""

from __future__ import annotations

from starlette.responses import Response

from hub.interfaces.web.pages.page import Page, page_endpoint

KINDS = ("MEMBER", "STRATEGIC_PARTNER", "ALLY", "PEER")


@page_endpoint
async def directory(page: Page) -> Response:
    params = page.request.query_params
    kind = params.get("kind") if params.get("kind") in KINDS else None
    region = (params.get("region") or "").strip() or None
    variables = {"kind": kind, "region": region, "after": params.get("after") or None}
    data = await page.query("directory", variables)
    return await page.render(
        "directory.html",
        organizations=data["organizations"],
        kind=kind,
        region=region or "",
        kinds=KINDS,
    )

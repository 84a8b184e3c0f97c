"""The back office's series (/manage/series): the list and a new one; one series with its
convenings, renaming it, and adding a convening to it."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from hub.interfaces.web.pages.convening_form import MESSAGES
from hub.interfaces.web.pages.messages import N_, error_messages, field_errors
from hub.interfaces.web.pages.page import Page, page_endpoint
from hub.interfaces.web.pages.runner import PageRefused

EARLY = "1970-01-01T00:00:00Z"
CREATED = N_("The series is created.")
RENAMED = N_("The series is renamed.")
ADDED = N_("The convening is in the series now.")


def routes() -> list[BaseRoute]:
    get, post = ["GET"], ["POST"]
    return [
        Route("/manage/series", series_list, methods=get),
        Route("/manage/series", create_series, methods=post),
        Route("/manage/series/{id}", series_page, methods=get),
        Route("/manage/series/{id}/rename", rename_series, methods=post),
        Route("/manage/series/{id}/add", add_convening, methods=post),
    ]


def _messages() -> dict[str, str]:
    return {**error_messages(), **MESSAGES}


@page_endpoint
async def series_list(page: Page) -> Response:
    return await _render_list(page)


async def _render_list(page: Page, status_code: int = 200, **values: Any) -> Response:
    data = await page.query("manageSeriesList")
    series = [edge["node"] for edge in data["conveningSeries"]["edges"]]
    return await page.render(
        "manage_series_list.html", status_code, series=series, error_messages=_messages(), **values
    )


@page_endpoint
async def create_series(page: Page) -> Response:
    form = await page.form()
    name = str(form.get("name") or "")
    payload = (await page.query("createConveningSeries", {"name": name}))["createConveningSeries"]
    if payload["errors"]:
        return await _render_list(page, 422, errors=field_errors(payload["errors"]), name=name)
    return await page.redirect(f"/manage/series/{payload['series']['id']}", status=CREATED)


@page_endpoint
async def series_page(page: Page) -> Response:
    return await _render_series(page)


async def _series(page: Page) -> dict[str, Any]:
    data = await page.query("manageSeries", {"id": page.request.path_params["id"]})
    series = data["node"]
    if series is None or "slug" not in series:
        raise PageRefused("NOT_FOUND")
    return series  # type: ignore[no-any-return]


async def _render_series(page: Page, status_code: int = 200, **values: Any) -> Response:
    series = await _series(page)
    data = await page.query("seriesConvenings", {"slug": series["slug"], "early": EARLY})
    addable = [
        edge["node"]
        for edge in data["upcoming"]["edges"]
        if (edge["node"]["series"] or {}).get("id") != series["id"]
        and edge["node"]["status"] == "SCHEDULED"
    ]
    return await page.render(
        "manage_series.html",
        status_code,
        series=series,
        convenings=[edge["node"] for edge in data["inSeries"]["edges"]],
        addable=addable,
        error_messages=_messages(),
        **values,
    )


@page_endpoint
async def rename_series(page: Page) -> Response:
    form = await page.form()
    name = str(form.get("name") or "")
    variables = {"id": page.request.path_params["id"], "name": name}
    payload = (await page.query("renameConveningSeries", variables))["renameConveningSeries"]
    if payload["errors"]:
        errors = field_errors(payload["errors"])
        return await _render_series(page, 422, errors=errors, error_form="rename", name=name)
    return await page.redirect(f"/manage/series/{payload['series']['id']}", status=RENAMED)


@page_endpoint
async def add_convening(page: Page) -> Response:
    series = await _series(page)
    form = await page.form()
    chosen = str(form.get("convening") or "")
    if not chosen:
        errors = {"convening": "REQUIRED"}
        return await _render_series(page, 422, errors=errors, error_form="add")
    variables = {"input": {"id": chosen, "seriesSlug": series["slug"]}}
    payload = (await page.query("updateConvening", variables))["updateConvening"]
    if payload["errors"]:
        errors = {"convening": payload["errors"][0]["code"]}
        return await _render_series(page, 422, errors=errors, error_form="add")
    return await page.redirect(f"/manage/series/{series['id']}", status=ADDED)

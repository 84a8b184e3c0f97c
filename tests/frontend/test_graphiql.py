"""GraphiQL works offline: in a browser that may reach nothing but the hub, it loads, runs a
query and shows the answer."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.async_api import Browser, Route

from tests.frontend.conftest import new_page, screenshot
from tests.frontend.server import HubServer


async def test_graphiql_runs_a_query_with_nothing_but_the_hub(
    chromium: Browser, hub_server: HubServer
):
    context = await chromium.new_context(base_url=hub_server.url)
    page = await new_page(context)
    refused: list[str] = []
    hub_host = urlsplit(hub_server.url).netloc

    async def only_the_hub(route: Route) -> None:
        parts = urlsplit(route.request.url)
        if parts.scheme in ("http", "https") and parts.netloc != hub_host:
            refused.append(route.request.url)
            await route.abort()
        else:
            await route.continue_()

    await context.route("**/*", only_the_hub)
    await page.goto("/graphql")
    editor = page.locator(".graphiql-query-editor .CodeMirror")
    await editor.evaluate("element => element.CodeMirror.setValue('{ __typename }')")
    await page.locator(".graphiql-execute-button").click()
    result = page.locator(".result-window")
    await result.get_by_text('"__typename": "Query"').wait_for()
    await screenshot(page, "graphiql-offline")
    await context.close()

    assert refused == []

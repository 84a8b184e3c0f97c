"""Browser tests: one Debian chromium per session (Playwright's async API, in the session's
event loop beside the served hub), a fresh phone-sized context per test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, BrowserContext, Page, async_playwright
from starlette.applications import Starlette

from tests.frontend.server import HubServer
from tests.infrastructure.browser import ensure_chromium

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
ACTION_TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
async def hub_server(app: Starlette) -> AsyncIterator[HubServer]:
    server = await HubServer(app).start()
    yield server
    await server.stop()


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, Any]:
    """Debian's chromium, never a downloaded browser (the name pytest-playwright uses)."""
    executable = ensure_chromium()
    if executable is None:
        pytest.fail("No chromium: install Debian's package (apt-get install chromium).")
    return {
        "headless": True,
        "executable_path": executable,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
async def chromium(browser_type_launch_args: dict[str, Any]) -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(**browser_type_launch_args)
        yield browser
        await browser.close()


def phone_context_args(**overrides: Any) -> dict[str, Any]:
    return {
        "viewport": PHONE,
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
        "locale": "en-US",
        **overrides,
    }


@pytest.fixture
async def phone(chromium: Browser, hub_server: HubServer) -> AsyncIterator[Page]:
    """A page in a fresh phone-sized context, in English."""
    context = await chromium.new_context(base_url=hub_server.url, **phone_context_args())
    yield await new_page(context)
    await context.close()


@pytest.fixture
async def phone_es(chromium: Browser, hub_server: HubServer) -> AsyncIterator[Page]:
    """The same, for a reader whose browser asks for Spanish."""
    context = await chromium.new_context(
        base_url=hub_server.url, **phone_context_args(locale="es-MX")
    )
    yield await new_page(context)
    await context.close()


@pytest.fixture
async def desktop(chromium: Browser, hub_server: HubServer) -> AsyncIterator[Page]:
    """A page in a fresh desktop-sized context, in English: the back office's other screen."""
    context = await chromium.new_context(base_url=hub_server.url, viewport=DESKTOP, locale="en-US")
    yield await new_page(context)
    await context.close()


async def new_page(context: BrowserContext) -> Page:
    """A page that gives up on a missing element after 10 s, not Playwright's 30 s."""
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    return await context.new_page()


async def screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

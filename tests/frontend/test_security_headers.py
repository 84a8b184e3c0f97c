"""In a real browser, under the hub's Content-Security-Policy: a page runs its script (it
posts a form and shows the answer in place) with no violation reported, while a script
slipped inline into the page is refused."""

from __future__ import annotations

import pytest
from playwright.async_api import Error, Page, expect

# Reported by the browser itself for each refusal, before any page script runs.
LISTEN_FOR_VIOLATIONS = """
window.violations = [];
document.addEventListener("securitypolicyviolation",
  e => window.violations.push(e.violatedDirective + " " + e.blockedURI));
"""


async def test_a_page_runs_its_script_with_no_violation(phone: Page) -> None:
    page = phone
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    await page.add_init_script(LISTEN_FOR_VIOLATIONS)

    # When the sign-in page is opened and its form sent (hub.js posts it in place)
    response = await page.goto("/signin")
    assert response is not None
    assert "script-src 'self';" in response.headers["content-security-policy"]
    await page.get_by_label("Email address").fill("ana@example.org")
    await page.get_by_role("button", name="Send me a sign-in link").click()
    await expect(page.locator("#status")).to_contain_text("a sign-in link is on its way")

    # Then the script ran (it set the time-zone cookie), and nothing was refused
    assert "hub_tz=" in await page.evaluate("document.cookie")
    assert await page.evaluate("window.violations") == []
    assert [m for m in console if "Content Security Policy" in m] == []

    # While a script put inline into the page is refused, and reported
    with pytest.raises(Error, match="violates the following Content Security Policy"):
        await page.add_script_tag(content="window.injected = true")
    assert await page.evaluate("window.injected === undefined")
    assert await page.evaluate("window.violations") == ["script-src-elem inline"]

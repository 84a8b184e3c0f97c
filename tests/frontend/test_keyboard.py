"""Keyboard only: answering a convening and voting with Tab, Space, Enter and the arrow keys;
every stop shows its focus, and Tab leads out of the page and back in (no trap)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser, Page, expect

from hub.infrastructure.models.governance import VoteChoice
from hub.interfaces.runtime import Runtime
from tests.frontend.committee import a_host_on_the_committee, stored_votes
from tests.frontend.conftest import new_page
from tests.frontend.flows import sign_in
from tests.frontend.server import HubServer

TAB_LIMIT = 80
# The focused element's indicator: an outline or a box shadow, whatever the browser applies.
FOCUS_SHOWN = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return true;
  const style = getComputedStyle(element);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  return outline || style.boxShadow !== "none";
}"""
DESCRIBE_FOCUS = """() => {
  const e = document.activeElement;
  return e === document.body ? "body" : e.tagName + ":" + (e.name || e.textContent.trim());
}"""


@pytest.fixture
async def desktop(chromium: Browser, hub_server: HubServer) -> AsyncIterator[Page]:
    context = await chromium.new_context(
        base_url=hub_server.url, viewport={"width": 1024, "height": 768}, locale="en-US"
    )
    yield await new_page(context)
    await context.close()


async def tab_to(page: Page, selector: str) -> None:
    """Presses Tab until `selector` has the focus, checking that every stop shows it."""
    for _ in range(TAB_LIMIT):
        await page.keyboard.press("Tab")
        assert await page.evaluate(FOCUS_SHOWN), await page.evaluate(DESCRIBE_FOCUS)
        if await page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


async def tab_stops(page: Page) -> list[str]:
    return [await _press_tab(page) for _ in range(TAB_LIMIT)]


async def _press_tab(page: Page) -> str:
    await page.keyboard.press("Tab")
    return str(await page.evaluate(DESCRIBE_FOCUS))


async def test_answer_and_vote_with_the_keyboard(desktop: Page, runtime: Runtime) -> None:
    given = await a_host_on_the_committee(runtime)
    await sign_in(desktop, runtime, given.person)
    # Answer the convening: Space picks the first answer, the arrows move between answers
    await desktop.goto(given.convening_url)
    own = "form[action$='/rsvp'] "
    await tab_to(desktop, own + "input[name=status]")
    await desktop.keyboard.press("Space")
    await desktop.keyboard.press("ArrowDown")
    await expect(desktop.get_by_label("Maybe").first).to_be_checked()
    await desktop.keyboard.press("ArrowUp")
    await expect(desktop.get_by_label("Going", exact=True).first).to_be_checked()
    await tab_to(desktop, own + "input[value=CAPTIONING]")
    await desktop.keyboard.press("Space")
    await tab_to(desktop, "#self-childcare")
    await desktop.keyboard.press("Control+A")
    await desktop.keyboard.type("1")
    await tab_to(desktop, own + "button[type=submit]")
    await desktop.keyboard.press("Enter")
    await expect(desktop.locator("#status")).to_have_text("Your answer is saved.")
    await desktop.reload()
    await expect(desktop.locator("#own-answer")).to_have_text("You answered: Going")
    await expect(desktop.get_by_label("Children needing childcare").first).to_have_value("1")
    await expect(desktop.get_by_label("Captioning").first).to_be_checked()
    # Vote: Space picks YES, ArrowDown moves to NO, Enter on the button casts it
    await desktop.goto(given.vote.url)
    await tab_to(desktop, "input[name=choice]")
    await desktop.keyboard.press("Space")
    await desktop.keyboard.press("ArrowDown")
    await tab_to(desktop, "form[action$='/vote'] button")
    await desktop.keyboard.press("Enter")
    await expect(desktop.locator("#seat-vote")).to_have_text("Your seat voted: No")
    mine = [v for v in await stored_votes(runtime, given.vote) if v[0] == given.vote.mine.seat.id]
    assert mine == [(given.vote.mine.seat.id, VoteChoice.NO)]


async def test_tab_leads_through_the_page_and_out_again(desktop: Page, runtime: Runtime) -> None:
    given = await a_host_on_the_committee(runtime)
    await sign_in(desktop, runtime, given.person)
    for url in (given.convening_url, given.vote.url):
        await desktop.goto(url)
        stops = await tab_stops(desktop)
        # The skip link comes first; Tab passes the last control and comes round to it again
        assert stops[0] == "A:Skip to content"
        assert "A:Skip to content" in stops[1:], stops
        assert len(set(stops)) > 10

"""With JavaScript off, every form still works by itself: sign in, answer a convening, vote
and check someone in."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser, Page, expect

from hub.infrastructure.models.governance import VoteChoice
from hub.interfaces.runtime import Runtime
from tests.frontend.committee import a_host_on_the_committee, stored_votes
from tests.frontend.conftest import new_page, phone_context_args, screenshot
from tests.frontend.flows import sign_in
from tests.frontend.server import HubServer


@pytest.fixture
async def phone_without_js(chromium: Browser, hub_server: HubServer) -> AsyncIterator[Page]:
    context = await chromium.new_context(
        base_url=hub_server.url, java_script_enabled=False, **phone_context_args()
    )
    yield await new_page(context)
    await context.close()


async def test_sign_in_answer_vote_and_check_in(phone_without_js: Page, runtime: Runtime) -> None:
    page = phone_without_js
    given = await a_host_on_the_committee(runtime)
    # Sign in by the emailed link
    await sign_in(page, runtime, given.person)
    await expect(page.locator("#status")).to_have_text("You are signed in.")
    # Answer the convening
    await page.goto(given.convening_url)
    own = page.locator("form", has=page.get_by_role("button", name="Save my answer"))
    await own.get_by_label("Going", exact=True).check()
    await own.get_by_role("button", name="Save my answer").click()
    await expect(page.locator("#status")).to_have_text("Your answer is saved.")
    await expect(page.locator("#own-answer")).to_have_text("You answered: Going")
    # Vote, and change the vote
    await page.goto(given.vote.url)
    await page.get_by_label("Yes", exact=True).check()
    await page.get_by_role("button", name="Cast the vote").click()
    await expect(page.locator("#seat-vote")).to_have_text("Your seat voted: Yes")
    await page.get_by_label("Abstain", exact=True).check()
    await page.get_by_role("button", name="Change the vote").click()
    await expect(page.locator("#seat-vote")).to_have_text("Your seat voted: Abstain")
    mine = [v for v in await stored_votes(runtime, given.vote) if v[0] == given.vote.mine.seat.id]
    assert mine == [(given.vote.mine.seat.id, VoteChoice.ABSTAIN)]
    # Check Ana in at the door, and undo it
    await page.goto(f"{given.convening_url}/checkin")
    await expect(page.locator("#counts")).to_have_text("0 of 2 checked in")
    await page.get_by_label("Name (a few letters)").fill("alv")
    await page.get_by_role("button", name="Find").click()
    await page.get_by_role("button", name="Check in Ana Alvarez").click()
    await expect(page.locator("#status")).to_have_text("Checked in: Ana Alvarez")
    await expect(page.locator("#counts")).to_have_text("1 of 2 checked in")
    await screenshot(page, "checkin-no-js-en")
    await page.get_by_role("button", name="Undo check-in of Ana Alvarez").click()
    await expect(page.locator("#counts")).to_have_text("0 of 2 checked in")

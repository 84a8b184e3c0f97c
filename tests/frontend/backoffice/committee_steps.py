"""An admin running the committee from the back office, through its pages only (clicks,
typing, choices): seating the committee, writing proposals, moving them through their
lifecycle, opening and closing votes; and a seat's holder voting on the proposal's page."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from playwright.async_api import Page, expect

STATUS = "#status:not(:empty)"


async def assign_seat(
    page: Page, organization: str, holder: str, alternate: str | None = None
) -> None:
    """Seats `organization` (or changes its seat) with `holder` and `alternate`, picked by
    name from the organization's people."""
    await open_seat(page, organization)
    await page.get_by_label("Holder").select_option(label=holder)
    await page.get_by_label("Alternate").select_option(label=alternate or "No alternate")
    await page.get_by_role("button", name="Save the seat").click()


async def open_seat(page: Page, organization: str) -> None:
    """The seat's page, found from the roster (or by searching the organization's name)."""
    await page.goto("/manage/committee")
    change = page.get_by_role("link", name=f"Change the seat of {organization}", exact=True)
    if await change.count():
        await change.click()
    else:
        await page.get_by_label("Organization name (a few letters)").fill(organization)
        await page.get_by_role("button", name="Find", exact=True).click()
        # From the search's results (a vacated seat is also listed as "Seat ... again").
        await (
            page.locator("#found")
            .get_by_role("link", name=f"Seat {organization}", exact=True)
            .click()
        )
    await page.wait_for_url("**/manage/committee/seats/*")


async def vacate_seat(page: Page, organization: str) -> None:
    await open_seat(page, organization)
    await page.get_by_role("button", name=f"Vacate the seat of {organization}").click()
    await expect(page.locator("#status")).to_have_text("The seat is vacated.")


async def roster(page: Page) -> list[list[str]]:
    """The held seats as the roster shows them: organization, holder, alternate."""
    await page.goto("/manage/committee")
    rows = page.locator("#roster tbody tr")
    return [
        [await cell.inner_text() for cell in await row.locator("th, td").all()][:3]
        for row in await rows.all()
    ]


async def create_proposal(
    page: Page,
    title: str,
    body: str,
    sponsors: Sequence[str],
    origin: str | None,
    summary: str = "",
) -> str:
    """Writes a draft through the new-proposal form; the address of its back-office page."""
    await page.goto("/manage/proposals/new")
    await page.get_by_label("Title").fill(title)
    await page.get_by_label("Summary (optional)").fill(summary)
    await page.get_by_label("Text (Markdown)").fill(body)
    await page.get_by_label("Sponsors (choose one or more organizations)").select_option(
        label=list(sponsors)
    )
    if origin is not None:
        origins = page.get_by_label("Came out of (convening)")
        labels = await origins.locator("option").all_inner_texts()
        await origins.select_option(label=next(o for o in labels if o.startswith(f"{origin} ·")))
    await page.get_by_role("button", name="Save the draft").click()
    await expect(page.locator("#status")).to_have_text("The proposal is saved as a draft.")
    return page.url


async def manage_proposal(page: Page, title: str) -> None:
    """The proposal's back-office page, from the list of proposals."""
    await page.goto("/manage/proposals")
    await page.get_by_role("link", name=f"Manage {title}", exact=True).click()
    await page.wait_for_url("**/manage/proposals/*/edit")


async def move_proposal(page: Page, title: str, button: str = "Open for discussion") -> None:
    """A move of the lifecycle: "Open for discussion", "Back to draft", "Withdraw the proposal"."""
    await manage_proposal(page, title)
    await page.get_by_role("button", name=button).click()
    await page.locator(STATUS).wait_for()


async def open_voting(
    page: Page,
    title: str,
    closes_at: datetime,
    *,
    rule: str = "Majority",
    quorum: str = "50",
    ballot: str = "Open: each seat's vote is recorded",
    opens_at: datetime | None = None,
) -> None:
    """Fills the open-voting form (the times in the committee's zone, as the form asks; no
    start: it opens now) and presses its button; the page then says what happened (errors
    show beside their fields)."""
    await manage_proposal(page, title)
    await page.get_by_label("Rule").select_option(label=rule)
    await page.get_by_label("Quorum (percentage of the seats that must vote)").fill(quorum)
    await page.get_by_label(ballot).check()
    await page.locator("#opensAt").fill(opens_at.strftime("%Y-%m-%dT%H:%M") if opens_at else "")
    await page.locator("#closesAt").fill(closes_at.strftime("%Y-%m-%dT%H:%M"))
    await page.get_by_role("button", name="Open voting").click()
    await page.wait_for_load_state()


async def close_voting(page: Page, title: str) -> None:
    await manage_proposal(page, title)
    await page.get_by_role("button", name="Close voting now").click()
    await expect(page.locator("#status")).to_have_text(
        "Voting is closed: the results are on the proposal's page."
    )


async def see_results(page: Page) -> None:
    """From a closed proposal's back-office page to its results on the proposal's page."""
    await page.get_by_role("link", name="See the results on the proposal's page").click()
    await expect(page.get_by_role("heading", name="Results")).to_be_visible()


async def cast_vote(page: Page, proposal_url: str, organization: str, choice: str) -> None:
    """A seat's holder or alternate votes on the proposal's page."""
    await page.goto(proposal_url)
    group = page.get_by_role("group", name=f"Your choice for {organization}")
    await group.get_by_label(choice, exact=True).check()
    await page.get_by_role("button", name="Cast the vote").click()
    await expect(page.locator("#status")).to_have_text(
        "Your seat's vote is saved. You may change it until voting closes."
    )

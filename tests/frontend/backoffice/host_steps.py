"""A host organization's contact (or an admin) at work, in the browser only: the attendee list
and its CSV, a message to the attendees, the door's check-ins and walk-ins. Each step clicks
and types as a person would; none sends GraphQL."""

from __future__ import annotations

import asyncio
import csv
import io
from pathlib import Path

from playwright.async_api import Page, expect

MESSAGE_SENT = "Message sent."


async def open_attendees(page: Page, convening_id: str) -> list[dict[str, str]]:
    """Opens the attendee list; returns its people as shown: name, organization, status."""
    await page.goto(f"/convenings/{convening_id}/attendees")
    await expect(page.locator("h1")).to_contain_text("Attendees")
    return await attendees_shown(page)


async def attendees_shown(page: Page) -> list[dict[str, str]]:
    shown = []
    for entry in await page.locator("li.attendee").all():
        shown.append(
            {
                "person": await entry.locator(".attendee-name").inner_text(),
                "organization": await entry.get_attribute("data-organization") or "",
                "status": await entry.get_attribute("data-status") or "",
            }
        )
    return shown


async def needs_totals_shown(page: Page) -> dict[str, int]:
    """The needs chart's numbers, as its table reads them."""
    rows = await page.locator("#needs-totals tbody tr").all()
    return {
        await row.locator("th").inner_text(): int(await row.locator("td").inner_text())
        for row in rows
    }


async def download_attendee_csv(page: Page, convening_id: str) -> list[dict[str, str]]:
    """Presses "Download CSV" on the attendee list; returns the file's rows (Python's csv)."""
    if not page.url.endswith(f"/convenings/{convening_id}/attendees"):
        await page.goto(f"/convenings/{convening_id}/attendees")
    async with page.expect_download() as started:
        await page.get_by_role("link", name="Download CSV").click()
    download = await started.value
    path = await download.path()
    text = (await asyncio.to_thread(Path(path).read_bytes)).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


async def message_attendees(
    page: Page,
    convening_id: str,
    audience: str,
    subject: str,
    text: str,
    *,
    subject_es: str = "",
    text_es: str = "",
) -> None:
    """Sends a message to GOING, WAITLISTED or ALL from the messages page."""
    await page.goto(f"/convenings/{convening_id}/messages")
    await page.locator(f"input[name=audience][value={audience}]").check()
    await page.get_by_label("Subject", exact=True).fill(subject)
    await page.get_by_label("Message", exact=True).fill(text)
    if subject_es:
        await page.get_by_label("Asunto").fill(subject_es)
        await page.get_by_label("Mensaje").fill(text_es)
    await page.get_by_role("button", name="Send the message").click()
    await expect(page.locator("#status")).to_have_text(MESSAGE_SENT)


async def open_the_door(page: Page, convening_id: str) -> None:
    await page.goto(f"/convenings/{convening_id}/checkin")
    await expect(page.locator("#counts")).to_be_visible()


async def check_in(page: Page, convening_id: str, name: str) -> None:
    """Finds the person by a few letters and taps their check-in button."""
    await open_the_door(page, convening_id)
    await page.get_by_label("Name (a few letters)").fill(name[:4])
    await page.get_by_role("button", name="Find", exact=True).click()
    await page.get_by_role("button", name=f"Check in {name}").tap()
    await expect(page.locator("#status")).to_have_text(f"Checked in: {name}")


async def register_walk_in(
    page: Page,
    convening_id: str,
    *,
    name: str,
    organization: str = "",
    email: str = "",
    from_directory: bool = False,
) -> None:
    """Registers a walk-in and checks them in: a person found in the directory by name (with
    `from_directory`), or a new one by name, email and organization (picked or typed)."""
    await open_the_door(page, convening_id)
    if from_directory:
        await page.get_by_label("Find them in the directory (a few letters)").fill(name[:5])
        await page.get_by_role("button", name="Look up in the directory").click()
        await page.get_by_label(name, exact=False).first.check()
    else:
        await page.get_by_label("Name", exact=True).fill(name)
        if email:
            await page.get_by_label("Email (optional)").fill(email)
    if organization:
        await page.get_by_label("Organization (pick or type)").fill(organization)
    await page.get_by_role("button", name="Check in the walk-in").tap()
    await expect(page.locator("#status")).to_have_text(f"Walk-in checked in: {name}")

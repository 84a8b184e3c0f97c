"""Browser steps for the back office's convenings, series and repeating convenings, for the
issue's end-to-end walk to chain: each uses the pages only (links, fields, buttons)."""

from __future__ import annotations

from playwright.async_api import Page, expect

SCHEDULED = "The convening is scheduled."
SAVED = "The convening is saved."
CANCELLED = "The convening is cancelled. Everyone who answered is told."
REPEATED = "The convenings are scheduled."
SERIES_CREATED = "The series is created."


async def create_series(page: Page, name: str) -> str:
    """Creates a series from /manage/series; the series page's URL."""
    await page.goto("/manage/series")
    await page.get_by_label("Name").fill(name)
    await page.get_by_role("button", name="Create the series").click()
    await expect(page.locator("#status")).to_have_text(SERIES_CREATED)
    await expect(page.get_by_role("heading", level=1)).to_have_text(name)
    return page.url


async def fill_convening(
    page: Page,
    *,
    title: str | None = None,
    host: str | None = None,
    starts: str | None = None,
    ends: str | None = None,
    time_zone: str | None = None,
    series: str | None = None,
    kind: str | None = None,
    venue: str | None = None,
    online: str | None = None,
    capacity: str | None = None,
    delegate_limit: str | None = None,
    deadline: str | None = None,
    languages: str | None = None,
    visibility: str | None = None,
) -> None:
    """Fills the scheduling form's fields that are given (times as "2027-01-14T10:00", on the
    convening's own clock; choices by their visible label)."""
    texts = {
        "Title": title,
        "Venue": venue,
        "Online link": online,
        "Capacity (empty: no limit)": capacity,
        "Delegates per organization (empty: no limit)": delegate_limit,
        "Interpretation into": languages,
    }
    for label, value in texts.items():
        if value is not None:
            await page.get_by_label(label, exact=True).fill(value)
    if host is not None:
        await page.get_by_label("Host", exact=True).fill(host)
    for label, value in (("Starts", starts), ("First start", starts)):
        if value is not None and await page.get_by_label(label, exact=True).count():
            await page.get_by_label(label, exact=True).fill(value)
    for label, value in (("Ends", ends), ("First end", ends)):
        if value is not None and await page.get_by_label(label, exact=True).count():
            await page.get_by_label(label, exact=True).fill(value)
    if deadline is not None:
        await page.get_by_label("RSVP deadline (optional)").fill(deadline)
    choices = {"Time zone": time_zone, "Series": series, "Kind": kind, "Who sees it": visibility}
    for label, value in choices.items():
        if value is not None:
            await page.get_by_label(label, exact=True).select_option(label=value)


async def create_convening(page: Page, **fields: str) -> None:
    """Schedules a convening from /manage/convenings/new with the given fields (see
    `fill_convening`); waits for the list to say it is scheduled."""
    await page.goto("/manage/convenings")
    await page.get_by_role("link", name="New convening").click()
    await fill_convening(page, **fields)
    await page.get_by_role("button", name="Schedule the convening").click()
    await expect(page.locator("#status")).to_have_text(SCHEDULED)


async def open_edit(page: Page, title: str) -> None:
    await page.goto("/manage/convenings")
    await page.get_by_role("link", name=f"Edit {title}", exact=True).first.click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(f"Edit {title}")


async def edit_convening(page: Page, title: str, **changes: str) -> None:
    """Changes a convening's fields from its edit page (reached from the list)."""
    await open_edit(page, title)
    await fill_convening(page, **changes)
    await page.get_by_role("button", name="Save the convening").click()
    await expect(page.locator("#status")).to_have_text(SAVED)


async def cancel_convening(page: Page, title: str) -> None:
    """Cancels a convening from its edit page, confirming."""
    await open_edit(page, title)
    await page.get_by_role("link", name="Cancel this convening…").click()
    await page.get_by_label("Yes, cancel this convening").check()
    await page.get_by_role("button", name="Cancel the convening").click()
    await expect(page.locator("#status")).to_have_text(CANCELLED)


async def fill_repeating(
    page: Page,
    *,
    frequency: str = "Monthly",
    interval: str = "3",
    week: str = "Second",
    weekday: str = "Thursday",
    count: str | None = "4",
    until: str | None = None,
    new_series: str | None = None,
    **fields: str,
) -> None:
    """Fills the repeating form: the template's fields, the series (an existing one by name
    in `series`, or `new_series`) and the rule (monthly: `week` and `weekday`)."""
    await page.goto("/manage/convenings/repeat")
    await fill_convening(page, **fields)
    if new_series is not None:
        await page.get_by_label("New series name", exact=True).fill(new_series)
    await page.get_by_label("Repeats", exact=True).select_option(label=frequency)
    await page.get_by_label("Every how many weeks or months", exact=True).fill(interval)
    await page.get_by_label("A weekday of a week", exact=True).check()
    await page.get_by_label("Which week", exact=True).select_option(label=week)
    await page.get_by_label("Which weekday", exact=True).select_option(label=weekday)
    await page.get_by_label("How many times", exact=True).fill(count or "")
    if until is not None:
        await page.get_by_label("Or until (a date)").fill(until)


async def preview_repeating(page: Page, **rule_and_fields: str) -> list[str]:
    """Fills the repeating form and previews: the dates as the page lists them."""
    await fill_repeating(page, **rule_and_fields)
    await page.get_by_role("button", name="Preview the dates").click()
    await page.locator("#preview").wait_for()
    return await page.locator("#preview + ol li").all_inner_texts()


async def schedule_repeating(page: Page, **rule_and_fields: str) -> list[str]:
    """Previews the dates, then schedules them; ends on the series' page. The previewed
    dates."""
    dates = await preview_repeating(page, **rule_and_fields)
    await page.get_by_role("button", name="Schedule these convenings").click()
    await expect(page.locator("#status")).to_have_text(REPEATED)
    return dates


async def rename_series(page: Page, series_url: str, name: str) -> None:
    await page.goto(series_url)
    await page.get_by_label("Name", exact=True).fill(name)
    await page.get_by_role("button", name="Rename", exact=True).click()
    await expect(page.locator("#status")).to_have_text("The series is renamed.")
    await expect(page.get_by_role("heading", level=1)).to_have_text(name)


async def add_to_series(page: Page, series_url: str, convening_title: str) -> None:
    """Adds a convening to come to the series, from the series' page."""
    await page.goto(series_url)
    choice = page.get_by_label("Convening", exact=True)
    label = await choice.locator("option", has_text=convening_title).first.inner_text()
    await choice.select_option(label=label)
    await page.get_by_role("button", name="Add to the series").click()
    await expect(page.locator("#status")).to_have_text("The convening is in the series now.")

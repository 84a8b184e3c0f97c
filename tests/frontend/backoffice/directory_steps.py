"""The admin's directory back office as a person uses it, in steps the end-to-end walks chain:
every step clicks, types and picks on the pages (English labels), never GraphQL."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import Callable
from pathlib import Path

from playwright.async_api import Page

# The directory's pages that need no record of their own (the axe test's list).
PAGES = {
    "directory": "/manage/directory",
    "directory-search": "/manage/directory?q=ma%20go",
    "new-organization": "/manage/organizations/new",
    "new-person": "/manage/people/new",
}


async def open_directory(page: Page) -> None:
    await page.goto("/manage/directory")


async def search_directory(page: Page, text: str) -> list[str]:
    """Searches the directory as typed; the names listed (organizations, then people)."""
    await open_directory(page)
    await page.get_by_label("Search names").fill(text)
    await page.get_by_label("Search names").press("Enter")
    await page.wait_for_url("**/manage/directory?q=*")
    return [name.strip() for name in await page.locator("ul.cards li > a").all_inner_texts()]


async def create_organization(
    page: Page,
    name: str,
    *,
    kind: str = "MEMBER",
    anchor_role: str = "",
    sector: str = "OTHER",
    region: str = "",
    counties: str = "",
    state: str = "",
) -> str:
    """Fills the "New organization" form; the new organization's page (its URL)."""
    await open_directory(page)
    await page.get_by_role("link", name="New organization").click()
    await _fill_organization(
        page,
        name=name,
        kind=kind,
        anchor_role=anchor_role,
        sector=sector,
        region=region,
        counties=counties,
        state=state,
    )
    await page.get_by_role("button", name="Create the organization").click()
    await page.wait_for_url(_created("/manage/organizations/"))
    return page.url


def _created(prefix: str) -> Callable[[str], bool]:
    """A URL test for the new record's page (not the form's own /new)."""
    return lambda url: prefix in url and not url.endswith("/new")


async def edit_organization(page: Page, url: str, **fields: str) -> None:
    """Changes the given fields (name, kind, anchor_role, sector, region, counties, state)."""
    await page.goto(url)
    await _fill_organization(page, **fields)
    await page.get_by_role("button", name="Save the organization").click()
    await page.locator("#status:not(:empty)").wait_for()


async def _fill_organization(page: Page, **fields: str) -> None:
    typed = {"name": "Name", "region": "Region", "counties": "Counties, separated by commas"}
    typed["state"] = "State (two letters; required for peers)"
    picked = {"kind": "Kind", "anchor_role": "Anchor role", "sector": "Sector"}
    for field, value in fields.items():
        if field in typed:
            await page.get_by_label(typed[field], exact=True).fill(value)
        else:
            await page.get_by_label(picked[field]).select_option(value)


async def archive_organization(page: Page, url: str) -> None:
    await page.goto(url)
    await page.get_by_role("button", name="Archive this organization").click()
    await page.wait_for_url("**/manage/directory")


async def create_person(
    page: Page, name: str, email: str, *, phone: str = "", language: str = "EN"
) -> str:
    """Fills the "New person" form; the new person's page (its URL)."""
    await open_directory(page)
    await page.get_by_role("link", name="New person").click()
    await _fill_person(page, name=name, email=email, phone=phone, language=language)
    await page.get_by_role("button", name="Create the person").click()
    await page.wait_for_url(_created("/manage/people/"))
    return page.url


async def edit_person(page: Page, url: str, **fields: str) -> None:
    """Changes the given fields (name, email, phone, language)."""
    await page.goto(url)
    await _fill_person(page, **fields)
    await page.get_by_role("button", name="Save the person").click()
    await page.locator("#status:not(:empty)").wait_for()


async def _fill_person(page: Page, **fields: str) -> None:
    labels = {"name": "Name", "email": "Email", "phone": "Phone"}
    for field, value in fields.items():
        if field == "language":
            await page.get_by_label("Language the hub writes to them in").select_option(value)
        else:
            await page.get_by_label(labels[field], exact=True).fill(value)


async def add_affiliation(
    page: Page, person_url: str, organization: str, role: str = "MEMBER", title: str = ""
) -> None:
    await page.goto(person_url)
    await page.get_by_label("Organization", exact=True).select_option(label=organization)
    form = page.locator("form[action$='/affiliations']")
    await form.get_by_label("Role", exact=True).select_option(role)
    await page.get_by_label("Title (optional)").fill(title)
    await page.get_by_role("button", name="Add the affiliation").click()
    await page.locator("#status:not(:empty)").wait_for()


async def change_affiliation_role(
    page: Page, person_url: str, organization: str, role: str
) -> None:
    await page.goto(person_url)
    card = page.locator("ul.cards > li", has=page.get_by_role("heading", name=organization))
    await card.get_by_label("Role", exact=True).select_option(role)
    await page.get_by_role("button", name=f"Change the role at {organization}").click()
    await page.locator("#status:not(:empty)").wait_for()


async def end_affiliation(page: Page, person_url: str, organization: str) -> None:
    await page.goto(person_url)
    await page.get_by_role("button", name=f"End the affiliation with {organization}").click()
    await page.locator("#status:not(:empty)").wait_for()


async def remove_person(page: Page, person_url: str) -> None:
    await page.goto(person_url)
    await page.get_by_role("button", name="Remove this person").click()
    await page.wait_for_url("**/manage/directory")


async def merge_people(page: Page, survivor_url: str, search: str, duplicate: str) -> None:
    """From the survivor's page: finds the other record by `search` and merges the one whose
    label begins with `duplicate` (its name)."""
    await page.goto(survivor_url)
    await page.get_by_role("link", name="Merge another record of this person into this one").click()
    await page.get_by_label("Find the other record by name or email").fill(search)
    await page.get_by_label("Find the other record by name or email").press("Enter")
    await page.wait_for_url("**/merge?q=*")
    await page.get_by_label(duplicate).check()
    await page.get_by_role("button", name="Merge into").click()
    await page.wait_for_url(survivor_url)


async def download_directory_csv(page: Page, search: str | None = None) -> list[dict[str, str]]:
    """Presses "Download CSV" (after searching, if given); the file's rows as Python's csv
    reads them."""
    if search is None:
        await open_directory(page)
    else:
        await search_directory(page, search)
    async with page.expect_download() as downloading:
        await page.get_by_role("link", name="Download CSV").click()
    download = await downloading.value
    saved = Path(await download.path())
    text = (await asyncio.to_thread(saved.read_bytes)).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))

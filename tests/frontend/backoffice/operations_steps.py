"""The admins' operations pages, step by step, as an admin uses them in a browser (English):
only the pages (links, labels, buttons), never GraphQL. Each step starts from its page's URL,
so steps chain in any order once an admin is signed in."""

from __future__ import annotations

import re

from playwright.async_api import Page

OPERATIONS = "/manage/operations"
PAGES = {
    "operations": OPERATIONS,
    "outbox": "/manage/outbox",
    "suppressions": "/manage/suppressions",
    "api-clients": "/manage/api-clients",
    "webhooks": "/manage/webhooks",
    "audit": "/manage/audit",
}


async def status_text(page: Page) -> str:
    await page.locator("#status:not(:empty)").wait_for()
    return (await page.locator("#status").inner_text()).strip()


async def open_operations_from_the_menu(page: Page) -> None:
    """From any page: the Manage menu, then the landing page's Operations."""
    await page.get_by_role("navigation").get_by_role("link", name="Manage").click()
    await page.wait_for_url("**/manage")
    await page.get_by_role("link", name="Operations").first.click()
    await page.get_by_role("heading", name="Operations", level=1).wait_for()


async def failed_messages_count(page: Page) -> int:
    """The index's count of failed outbox messages."""
    await page.goto(OPERATIONS)
    outbox = page.locator(".cards > li").filter(has=page.get_by_role("link", name="Outbox"))
    text = await outbox.get_by_text(re.compile(r"^\d+ failed messages?")).inner_text()
    return int(text.split()[0])


async def open_from_operations(page: Page, link: str) -> None:
    """Follows one of the index's links (Outbox, Email suppressions, API clients, ...)."""
    await page.goto(OPERATIONS)
    await page.get_by_role("link", name=link, exact=True).click()
    await page.get_by_role("heading", name=link, level=1).wait_for()


async def retry_failed_message(page: Page, address: str) -> str:
    """Shows the failed messages and retries the one to `address`; returns the page's status."""
    await page.goto("/manage/outbox")
    await page.get_by_label("Status").select_option("FAILED")
    await page.get_by_role("button", name="Show").click()
    await page.wait_for_url("**status=FAILED**")
    await page.get_by_role("button", name=f"Retry the message to {address}").click()
    return await status_text(page)


async def lift_suppression(page: Page, email: str, reason: str) -> None:
    """Fills the reason beside the address and lifts it (an empty reason shows its error)."""
    await page.goto("/manage/suppressions")
    card = page.locator(".cards > li").filter(has=page.get_by_role("heading", name=email))
    await card.get_by_label(f"Why {email} may be mailed again").fill(reason)
    await card.get_by_role("button", name="Lift the suppression").click()
    await page.wait_for_load_state()


async def add_api_client(
    page: Page, name: str, organization: str, scopes: tuple[str, ...] = ("peer:read",)
) -> tuple[str, str]:
    """Adds a client; returns its id and secret from the result page (the one time shown)."""
    await page.goto("/manage/api-clients")
    await page.get_by_label("What system it is").fill(name)
    await page.get_by_label("The organization it acts for").select_option(label=organization)
    for scope in scopes:
        await page.get_by_role("checkbox", name=scope).check()
    await page.get_by_role("button", name="Add the client").click()
    await page.get_by_role("heading", name="API client added").wait_for()
    client_id = await page.get_by_label("Client id").input_value()
    return client_id, await page.get_by_label("Client secret").input_value()


async def revoke_api_client(page: Page, name: str) -> str:
    """Asks to revoke the client, confirms on the page that asks, and returns the status."""
    await page.goto("/manage/api-clients")
    await page.get_by_role("link", name=f"Revoke {name}").click()
    await page.get_by_role("heading", name=f"Revoke {name}?").wait_for()
    await page.get_by_role("button", name=f"Yes, revoke {name}").click()
    return await status_text(page)


async def add_webhook(page: Page, client: str, url: str, events: list[str]) -> str:
    """Subscribes the client's URL to the events; returns the signing secret, shown once."""
    await page.goto("/manage/webhooks")
    await page.get_by_label("The API client it is for").select_option(label=client)
    await page.get_by_label("URL (https)").fill(url)
    for event in events:
        await page.get_by_role("checkbox", name=event).check()
    await page.get_by_role("button", name="Add the subscription").click()
    return await page.get_by_label(f"Signing secret of {url}").input_value()


async def delete_webhook(page: Page, url: str) -> str:
    await page.goto("/manage/webhooks")
    await page.get_by_role("button", name=f"Delete the subscription of {url}").click()
    return await status_text(page)


async def audit_actions(page: Page, *, committee: bool = False, kind: str = "") -> list[str]:
    """The kinds of the trail's entries on its first page, newest first."""
    await page.goto("/manage/audit")
    if committee:
        await page.get_by_role("link", name="The committee's trail").click()
        await page.wait_for_url("**trail=committee**")
    if kind:
        await page.get_by_label("Kind").select_option(kind)
        await page.get_by_role("button", name="Show").click()
        await page.wait_for_url(f"**action={kind}**")
    headings = page.locator(".cards > li h2")
    return [text.strip() for text in await headings.all_inner_texts()]

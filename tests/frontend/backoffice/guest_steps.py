"""Everyone's steps, in the browser only: a guest answers a PUBLIC convening signed out and
confirms by the emailed link; a person edits their details and the email they get; an email's
unsubscribe link. Each step clicks and types as a person would; none sends GraphQL (an email's
link is read from the outbox, where the worker would send it from)."""

from __future__ import annotations

from playwright.async_api import Page, expect
from sqlalchemy import select

from hub.delivery.email.kinds import MessageKind
from hub.delivery.email.preferences import TOKEN_KEY
from hub.infrastructure.models import OutboxMessage
from hub.interfaces.runtime import Runtime
from tests.frontend.flows import local

LINK_SENT = "Check your email"
CONFIRMED = "Your answer is confirmed"


async def guest_rsvp(
    page: Page,
    convening_id: str,
    name: str,
    email: str,
    organization: str = "",
    *,
    dietary: str = "",
) -> None:
    """From the convening's page, signed out: "Answer as a guest", fill the form, send."""
    await page.goto(f"/convenings/{convening_id}")
    await page.get_by_role("link", name="Answer as a guest").click()
    await fill_guest_form(page, name, email, organization, dietary=dietary)
    await send_guest_form(page)


async def send_guest_form(page: Page) -> None:
    """Presses the form's button and waits for the answer (the sent page, or the errors)."""
    await page.get_by_role("button", name="Send me the link to confirm").click()
    answered = page.locator(f"h1:text-is('{LINK_SENT}'), main .error")
    await answered.first.wait_for()


async def fill_guest_form(
    page: Page, name: str, email: str, organization: str = "", *, dietary: str = ""
) -> None:
    await page.get_by_label("Your name").fill(name)
    await page.get_by_label("Your email").fill(email)
    await page.get_by_label("Your organization (pick it, or type its name)").fill(organization)
    await page.get_by_label("Dietary needs").fill(dietary)


async def email_links(runtime: Runtime, email: str, kind: str) -> list[str]:
    """The links of the emails of this kind the outbox holds for an address, oldest first."""
    async with runtime.sessions() as session:
        rows = await session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.kind == kind, OutboxMessage.recipient_address == email.lower())
            .order_by(OutboxMessage.id)
        )
        return [row.payload["link"] for row in rows]


async def confirm_from_email(page: Page, runtime: Runtime, email: str) -> str:
    """Opens the newest confirmation link sent to the address and presses its button; returns
    what the page says became of the answer."""
    link = (await email_links(runtime, email, MessageKind.GUEST_RSVP_CONFIRM))[-1]
    await page.goto(local(link, page))
    await page.get_by_role("button", name="Confirm my answer").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(CONFIRMED)
    return await page.get_by_role("status").last.inner_text()


async def edit_my_details(page: Page, name: str, phone: str) -> None:
    """On my page: my name and phone, saved."""
    await page.goto("/me")
    await page.get_by_label("Name", exact=True).fill(name)
    await page.get_by_label("Phone (optional)").fill(phone)
    await page.get_by_role("button", name="Save my details").click()


async def choose_my_email(page: Page, **receives: bool) -> None:
    """On my page: tick what I get (reminders, host_messages, committee_notices), save."""
    labels = {
        "reminders": "Reminders of convenings I am going to",
        "host_messages": "Messages from the hosts of convenings I answered",
        "committee_notices": "Committee notices, such as follow-up actions coming due",
    }
    await page.goto("/me")
    for category, label in labels.items():
        await page.get_by_label(label).set_checked(receives.get(category, True))
    await page.get_by_role("button", name="Save my email choices").click()


async def unsubscribe_links(runtime: Runtime, email: str, kind: str) -> list[str]:
    """The unsubscribe paths of the emails of this kind the outbox holds for an address."""
    async with runtime.sessions() as session:
        rows = await session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.kind == kind, OutboxMessage.recipient_address == email.lower())
            .order_by(OutboxMessage.id)
        )
        return [f"/unsubscribe/{row.payload[TOKEN_KEY]}" for row in rows]


async def unsubscribe_by_link(page: Page, path: str) -> None:
    """Opens an email's unsubscribe link and presses its button."""
    await page.goto(path)
    await page.get_by_role("button", name="Stop").click()
    await expect(page.get_by_role("status").last).to_contain_text("Done: you get no more")


async def open_guests(page: Page) -> list[str]:
    """Opens the admins' list of guests; returns their names as shown."""
    await page.goto("/manage/guests")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Guests")
    return [await name.inner_text() for name in await page.locator("main li h2").all()]


async def attach_guest(page: Page, name: str, organization: str, role: str = "Member") -> None:
    """On the list of guests: picks the organization and role for the guest, and attaches."""
    card = page.locator("main li").filter(has=page.get_by_role("heading", name=name))
    await card.get_by_label("Organization").select_option(label=organization)
    await card.get_by_label("Role").select_option(label=role)
    await card.get_by_role("button", name=f"Attach {name}").click()
    await expect(page.locator("#status")).to_contain_text(f"{name} now belongs")

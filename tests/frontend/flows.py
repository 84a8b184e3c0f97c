"""Steps the browser tests share: arranging rows and signing people in by their email link."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from playwright.async_api import Page
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hub.infrastructure.models import OutboxMessage, Person
from hub.infrastructure.models.directory import Language
from hub.interfaces.runtime import Runtime

T = TypeVar("T")
TEST_BASE_URL = "http://hub.test"
# The sign-in form's label and the link's button, for `sign_in` in Spanish.
SPANISH = {"label": "Correo electrónico", "button": "Entrar en Coalition Hub"}


async def arrange(runtime: Runtime, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Runs `work` in its own committed transaction, so no test transaction holds a lock
    while the browser talks to the hub."""
    async with runtime.sessions() as session:
        result = await work(session)
        await session.commit()
        return result


async def reads_spanish(runtime: Runtime, person: Person) -> None:
    """Stores Spanish as the person's language: once signed in, their pages are in it."""

    async def choose(session: AsyncSession) -> None:
        statement = update(Person).where(Person.id == person.id)
        await session.execute(statement.values(preferred_language=Language.ES))

    await arrange(runtime, choose)


async def sign_in_links(runtime: Runtime, email: str) -> list[str]:
    """The links the outbox holds for an address, oldest first."""
    async with runtime.sessions() as session:
        rows = await session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.kind == "signin_link", OutboxMessage.recipient_address == email)
            .order_by(OutboxMessage.id)
        )
        links = [row.payload["link"] for row in rows]
        await session.rollback()
    return links


async def ask_for_link(page: Page, email: str, *, label: str = "Email address") -> None:
    await page.goto("/signin")
    await page.get_by_label(label).fill(email)
    await page.get_by_label(label).press("Enter")


def local(link: str, page: Page) -> str:
    return link.removeprefix(TEST_BASE_URL)


async def sign_in(page: Page, runtime: Runtime, person: Person, **texts: Any) -> None:
    await ask_for_link(page, person.email, label=texts.get("label", "Email address"))
    await page.locator("#status:not(:empty)").wait_for()
    link = (await sign_in_links(runtime, person.email))[-1]
    await page.goto(local(link, page))
    await page.get_by_role("button", name=texts.get("button", "Sign in to Coalition Hub")).click()
    await page.wait_for_url("**/me")

"""Sign-in by email link: works once, expires, refuses wrong links, answers alike for unknown
addresses, and holds its rate limit."""

from __future__ import annotations

from datetime import timedelta

from playwright.async_api import Page, expect
from sqlalchemy import update

from hub.domains.signin.limits import PER_EMAIL
from hub.infrastructure.models import SigninLink
from hub.infrastructure.models.base import utcnow
from hub.interfaces.runtime import Runtime
from tests.factories import create_person
from tests.frontend.conftest import screenshot
from tests.frontend.flows import arrange, ask_for_link, local, sign_in, sign_in_links

SENT = "If that address belongs to someone in the alliance, a sign-in link is on its way."
REFUSED = "already used, has expired, or is wrong"


async def test_a_link_signs_in_once_and_then_is_refused(phone: Page, runtime: Runtime) -> None:
    # Given a person
    person = await arrange(runtime, lambda s: create_person(s, name="Rosa Parra"))
    # When they ask for a link and open it
    await sign_in(phone, runtime, person)
    # Then they land on their page, signed in
    await expect(phone.get_by_role("heading", level=1)).to_have_text("Rosa Parra")
    await expect(phone.locator("#status")).to_have_text("You are signed in.")
    await screenshot(phone, "me-en")
    # When the same link is used again, from a browser without the session
    (link,) = await sign_in_links(runtime, person.email)
    await phone.context.clear_cookies()
    await phone.goto(local(link, phone))
    await phone.get_by_role("button", name="Sign in to Coalition Hub").click()
    # Then it is refused, and nobody is signed in
    await expect(phone.get_by_role("alert")).to_contain_text(REFUSED)
    await phone.goto("/me")
    await expect(phone).to_have_url(f"{phone.url.split('/signin')[0]}/signin?next=/me")


async def test_an_expired_or_wrong_link_is_refused(phone: Page, runtime: Runtime) -> None:
    person = await arrange(runtime, lambda s: create_person(s))
    await ask_for_link(phone, person.email)
    await expect(phone.locator("#status")).to_have_text(SENT)
    (link,) = await sign_in_links(runtime, person.email)

    async def expire(session: object) -> None:
        past = utcnow() - timedelta(seconds=1)
        await session.execute(update(SigninLink).values(expires_at=past))  # type: ignore[attr-defined]

    await arrange(runtime, expire)
    for url in (link, link.split("token=")[0] + "token=not-a-token"):
        await phone.goto(local(url, phone))
        await phone.get_by_role("button", name="Sign in to Coalition Hub").click()
        await expect(phone.get_by_role("alert")).to_contain_text(REFUSED)
    await phone.goto("/me")
    await expect(phone.get_by_label("Email address")).to_be_visible()


async def test_an_unknown_address_gets_the_same_answer_and_no_mail(
    phone: Page, runtime: Runtime
) -> None:
    await ask_for_link(phone, "nobody@example.org")
    await expect(phone.locator("#status")).to_have_text(SENT)
    await screenshot(phone, "signin-sent-en")
    assert await sign_in_links(runtime, "nobody@example.org") == []


async def test_the_rate_limit_per_address_holds(phone: Page, runtime: Runtime) -> None:
    person = await arrange(runtime, lambda s: create_person(s))
    for _ in range(PER_EMAIL):
        await ask_for_link(phone, person.email)
        await expect(phone.locator("#status")).to_have_text(SENT)
    await ask_for_link(phone, person.email)
    await expect(phone.locator("#email-error")).to_have_text(
        "Too many sign-in requests. Wait 15 minutes and try again."
    )
    await expect(phone.get_by_label("Email address")).to_have_attribute("aria-invalid", "true")
    assert len(await sign_in_links(runtime, person.email)) == PER_EMAIL


async def test_sign_out_needs_the_form_s_csrf_token(phone: Page, runtime: Runtime) -> None:
    # Given a signed-in person
    person = await arrange(runtime, lambda s: create_person(s, name="Rosa Parra"))
    await sign_in(phone, runtime, person)
    # When something posts to /signout without the form's token, it is refused
    refused = await phone.request.post("/signout", form={"csrf_token": "forged"})
    assert refused.status == 403
    await phone.goto("/me")
    await expect(phone.get_by_role("heading", level=1)).to_have_text("Rosa Parra")
    # When they press Sign out
    await phone.get_by_role("button", name="Sign out", exact=True).click()
    # Then they are signed out, and their page asks them to sign in
    await expect(phone.locator("#status")).to_have_text("You are signed out.")
    await expect(phone.get_by_role("link", name="Sign in")).to_be_visible()
    await expect(phone.get_by_role("button", name="Sign out", exact=True)).to_have_count(0)
    await phone.goto("/me")
    await expect(phone.get_by_label("Email address")).to_be_visible()

"""Everyone's pages in a browser: a guest answers a PUBLIC convening signed out and counts
once confirmed; an unconfirmed guest takes no place; a members-only page offers sign-in and
signing in returns there; my details and the email I get; an email's unsubscribe link. Each
new page photographed on a phone and a desktop, and checked with axe in both languages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from playwright.async_api import Page, expect
from sqlalchemy import func, select

from hub.delivery.calendar.facts import ConveningFacts
from hub.delivery.email.enqueue import enqueue_email
from hub.delivery.email.kinds import MessageKind
from hub.delivery.email.payloads import convening_payload
from hub.infrastructure.models import (
    Affiliation,
    Convening,
    EmailOptOut,
    GuestRsvpRequest,
    OutboxMessage,
    Person,
    Rsvp,
)
from hub.infrastructure.models.base import utcnow
from hub.infrastructure.models.convenings import Visibility
from hub.interfaces.graphql.node import to_global_id
from hub.interfaces.runtime import Runtime
from tests.convenings.factories import create_convening, create_member
from tests.factories import create_admin, create_organization, create_person
from tests.frontend.backoffice.guest_steps import (
    LINK_SENT,
    attach_guest,
    choose_my_email,
    confirm_from_email,
    edit_my_details,
    email_links,
    fill_guest_form,
    guest_rsvp,
    open_guests,
    send_guest_form,
    unsubscribe_by_link,
    unsubscribe_links,
)
from tests.frontend.conftest import new_page, screenshot
from tests.frontend.flows import SPANISH, arrange, local, reads_spanish, sign_in, sign_in_links
from tests.frontend.test_accessibility import assert_accessible


async def a_public_convening(runtime: Runtime, **overrides: Any) -> str:
    async def create(session: Any) -> str:
        await create_organization(session, name="Unión del Barrio")
        convening = await create_convening(
            session, title="Town hall", visibility=Visibility.PUBLIC, **overrides
        )
        return to_global_id("Convening", convening.id)

    return await arrange(runtime, create)


async def rows(runtime: Runtime, model: Any) -> int:
    async with runtime.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_a_guest_answers_signed_out_and_counts_once_confirmed(
    phone: Page, desktop: Page, runtime: Runtime
) -> None:
    # Given a PUBLIC convening with five places
    convening_id = await a_public_convening(runtime, capacity=5)
    # When a signed-out visitor answers it as a guest
    await guest_rsvp(phone, convening_id, "Lupe Guest", "lupe@example.org", "union del barrio")
    # Then a link is on its way, and nothing counts yet
    await expect(phone.get_by_role("heading", level=1)).to_have_text(LINK_SENT)
    await screenshot(phone, "guest-rsvp-sent-en")
    await phone.goto(f"/convenings/{convening_id}")
    await expect(phone.get_by_text("0 of 5 places taken")).to_be_visible()
    assert (await rows(runtime, Rsvp), await rows(runtime, Person)) == (0, 0)
    # When they open the emailed link and confirm (twice: a second click is harmless)
    said = await confirm_from_email(phone, runtime, "lupe@example.org")
    await screenshot(phone, "guest-rsvp-confirmed-en")
    await confirm_from_email(phone, runtime, "lupe@example.org")
    # Then they are going, counted once, a guest of the organization they named
    assert said.startswith("You are going.")
    await phone.goto(f"/convenings/{convening_id}")
    await expect(phone.get_by_text("1 of 5 places taken")).to_be_visible()
    async with runtime.sessions() as session:
        (guest,) = await session.scalars(select(Person))
        assert await session.scalar(select(func.count(Rsvp.id))) == 1
    assert (guest.is_guest, guest.guest_organization_name) == (True, "Unión del Barrio")
    # And confirming signed no one in
    await phone.goto("/me")
    await expect(phone.get_by_label("Email address")).to_be_visible()
    # The pages on a desktop too
    await desktop.goto(f"/convenings/{convening_id}/guest-rsvp")
    await screenshot(desktop, "guest-rsvp-form-desktop")
    link = (await email_links(runtime, "lupe@example.org", MessageKind.GUEST_RSVP_CONFIRM))[-1]
    await desktop.goto(local(link, desktop))
    await screenshot(desktop, "guest-rsvp-confirm-desktop")


async def test_an_unconfirmed_guest_takes_no_place(phone: Page, runtime: Runtime) -> None:
    # Given a PUBLIC convening with one place, answered by a guest who has not confirmed
    convening_id = await a_public_convening(runtime, capacity=1)
    await guest_rsvp(phone, convening_id, "Lupe Guest", "lupe@example.org")
    await expect(phone.get_by_role("heading", level=1)).to_have_text(LINK_SENT)
    # When a member takes the place from their own browser
    member = await arrange(runtime, lambda s: create_member(s, name="Rosa Member"))
    context = await phone.context.browser.new_context(base_url=phone.url.split("/convenings")[0])  # type: ignore[union-attr]
    other = await new_page(context)
    await sign_in(other, runtime, member)
    await other.goto(f"/convenings/{convening_id}")
    await other.get_by_label("Going", exact=True).check()
    await other.get_by_role("button", name="Save my answer").click()
    await expect(other.locator("#own-answer")).to_contain_text("Going")
    await context.close()
    # Then the guest confirming finds it full: on the waitlist, first
    said = await confirm_from_email(phone, runtime, "lupe@example.org")
    assert "you are on the waitlist, in position 1" in said
    await screenshot(phone, "guest-rsvp-waitlisted-en")


async def test_the_same_email_twice_is_one_answer(phone: Page, runtime: Runtime) -> None:
    convening_id = await a_public_convening(runtime)
    await guest_rsvp(phone, convening_id, "Lupe Guest", "lupe@example.org", dietary="vegan")
    await guest_rsvp(phone, convening_id, "Lupe Guest", "LUPE@example.org", dietary="none")
    old, _ = await email_links(runtime, "lupe@example.org", MessageKind.GUEST_RSVP_CONFIRM)
    # The older link was replaced
    await phone.goto(local(old, phone))
    await phone.get_by_role("button", name="Confirm my answer").click()
    await expect(phone.get_by_role("alert")).to_contain_text("was replaced by a newer one")
    await screenshot(phone, "guest-rsvp-refused-en")
    # The newer confirms the newer answer, once
    await confirm_from_email(phone, runtime, "lupe@example.org")
    async with runtime.sessions() as session:
        (rsvp,) = await session.scalars(select(Rsvp))
    assert rsvp.dietary == "none"


async def test_the_guest_form_s_errors_show_beside_their_fields(
    phone: Page, runtime: Runtime
) -> None:
    convening_id = await a_public_convening(runtime)
    await phone.goto(f"/convenings/{convening_id}/guest-rsvp")
    await fill_guest_form(phone, "  ", "not an email")
    await phone.get_by_label("Children needing childcare").fill("-2")
    await send_guest_form(phone)
    await expect(phone.locator("#name-error")).to_have_text("Fill this in.")
    await expect(phone.locator("#email-error")).to_have_text(
        "Enter an email address, such as name@example.org."
    )
    await expect(phone.locator("#childcareCount-error")).to_have_text(
        "Enter a number of children, 0 or more."
    )
    await expect(phone.get_by_label("Your email")).to_have_value("not an email")
    await expect(phone.get_by_label("Your email")).to_have_attribute("aria-invalid", "true")
    await screenshot(phone, "guest-rsvp-errors-en")
    assert (await rows(runtime, GuestRsvpRequest), await rows(runtime, OutboxMessage)) == (0, 0)


async def test_a_deadline_passed_meanwhile_is_said_on_the_form(
    phone: Page, runtime: Runtime
) -> None:
    convening_id = await a_public_convening(runtime)
    await phone.goto(f"/convenings/{convening_id}/guest-rsvp")
    await fill_guest_form(phone, "Lupe Guest", "lupe@example.org")

    async def close_answers(session: Any) -> None:
        (convening,) = await session.scalars(select(Convening))
        convening.rsvp_deadline = utcnow() - timedelta(minutes=1)

    await arrange(runtime, close_answers)
    await send_guest_form(phone)
    await expect(phone.get_by_role("alert")).to_have_text("The deadline for answers has passed.")
    assert await rows(runtime, GuestRsvpRequest) == 0


async def test_a_members_only_convening_refuses_guests_and_offers_sign_in(
    phone: Page, runtime: Runtime
) -> None:
    # Given a MEMBERS convening and a member
    async def create(session: Any) -> tuple[str, Person]:
        convening = await create_convening(session, title="Members only")
        return to_global_id("Convening", convening.id), await create_member(session)

    convening_id, member = await arrange(runtime, create)
    # When a signed-out visitor opens its guest form, or posts to it
    answer = await phone.goto(f"/convenings/{convening_id}/guest-rsvp")
    assert answer is not None and answer.status == 404
    posted = await phone.request.post(
        f"/convenings/{convening_id}/guest-rsvp", form={"name": "X", "email": "x@example.org"}
    )
    assert posted.status == 403  # no form token; and with one it is not there (below)
    assert await rows(runtime, GuestRsvpRequest) == 0
    # When they open the convening's page: sign-in offered, not "Not available"
    answer = await phone.goto(f"/convenings/{convening_id}")
    assert answer is not None and answer.status == 404
    await expect(phone.get_by_role("heading", level=1)).to_have_text("Sign in to see this page")
    await screenshot(phone, "refused-sign-in-offered-en")
    # And signing in from there returns to the convening
    await phone.locator("main").get_by_role("link", name="Sign in").click()
    await phone.get_by_label("Email address").fill(member.email)
    await phone.get_by_role("button", name="Send me a sign-in link").click()
    await phone.locator("#status:not(:empty)").wait_for()
    link = (await sign_in_links(runtime, member.email))[-1]
    assert link.endswith("&" + urlencode({"next": f"/convenings/{convening_id}"}))
    await phone.goto(local(link, phone))
    await phone.get_by_role("button", name="Sign in to Coalition Hub").click()
    await phone.wait_for_url(f"**/convenings/{convening_id}")
    await expect(phone.get_by_role("heading", level=1)).to_have_text("Members only")


async def test_a_crafted_return_path_never_leaves_the_site(phone: Page, runtime: Runtime) -> None:
    person = await arrange(runtime, lambda s: create_person(s))
    for crafted in ("https://evil.example/", "//evil.example", "/\\evil.example"):
        await phone.goto(f"/signin?next={crafted}")
        await phone.get_by_label("Email address").fill(person.email)
        await phone.get_by_role("button", name="Send me a sign-in link").click()
        await phone.locator("#status:not(:empty)").wait_for()
        link = (await sign_in_links(runtime, person.email))[-1]
        assert "evil" not in link
    # Even a link whose next= was edited by hand lands on the person's own page
    await phone.goto(local(link, phone) + "&next=https://evil.example/")
    await phone.get_by_role("button", name="Sign in to Coalition Hub").click()
    await phone.wait_for_url("**/me")


async def test_my_details_with_bad_input_change_nothing(phone: Page, runtime: Runtime) -> None:
    person = await arrange(runtime, lambda s: create_person(s, name="Rosa Parra"))
    await sign_in(phone, runtime, person)
    # When they empty their name and give a phone of letters
    await edit_my_details(phone, "", "call me maybe")
    # Then each field says what is wrong, and nothing changed
    await expect(phone.locator("#profileName-error")).to_have_text("Fill this in.")
    await expect(phone.locator("#profilePhone-error")).to_have_text(
        "Enter a phone number: digits, spaces and + - ( ) only."
    )
    await expect(phone.get_by_label("Phone (optional)")).to_have_value("call me maybe")
    await screenshot(phone, "me-details-errors-en")
    async with runtime.sessions() as session:
        stored = await session.get_one(Person, person.id)
        assert (stored.name, stored.phone) == ("Rosa Parra", None)
    # When they give good values
    await edit_my_details(phone, "Rosa María Parra", "+1 (213) 555-0100")
    await expect(phone.locator("#status")).to_have_text("Your details are saved.")
    await expect(phone.get_by_role("heading", level=1)).to_have_text("Rosa María Parra")
    async with runtime.sessions() as session:
        stored = await session.get_one(Person, person.id)
        assert (stored.name, stored.phone) == ("Rosa María Parra", "+1 (213) 555-0100")


async def test_choosing_my_email_and_an_unsubscribe_link(
    phone: Page, desktop: Page, runtime: Runtime
) -> None:
    person = await arrange(runtime, lambda s: create_person(s, email="rosa@example.org"))
    await sign_in(phone, runtime, person)
    # When they turn off committee notices on their page
    await choose_my_email(phone, committee_notices=False)
    await expect(phone.locator("#status")).to_have_text("Your email choices are saved.")
    label = "Committee notices, such as follow-up actions coming due"
    await expect(phone.get_by_label(label)).not_to_be_checked()
    await expect(phone.get_by_label("Reminders of convenings I am going to")).to_be_checked()
    await screenshot(phone, "me-email-en")
    # And a reminder's link, opened signed out in another browser (a GET stops nothing)
    await arrange(runtime, lambda s: _a_reminder(s, person))
    (path,) = await unsubscribe_links(runtime, person.email, MessageKind.CONVENING_REMINDER)
    await desktop.goto(path)
    await screenshot(desktop, "unsubscribe-desktop")
    assert await _stopped(runtime, person.id) == ["committee_notices"]
    await unsubscribe_by_link(desktop, path)
    await screenshot(desktop, "unsubscribe-done-desktop")
    assert await _stopped(runtime, person.id) == ["committee_notices", "reminders"]
    # Then their page shows both off
    await phone.goto("/me")
    await expect(phone.get_by_label("Reminders of convenings I am going to")).not_to_be_checked()
    await phone.goto(path)
    await screenshot(phone, "unsubscribe-en")


async def _a_reminder(session: Any, person: Person) -> None:
    convening = await create_convening(session)
    payload = convening_payload(person.name, ConveningFacts.from_model(convening))
    await enqueue_email(
        session, person, kind=MessageKind.CONVENING_REMINDER, dedupe_key="r", payload=payload
    )


async def _stopped(runtime: Runtime, person_id: int) -> list[str]:
    async with runtime.sessions() as session:
        statement = select(EmailOptOut.category).where(EmailOptOut.person_id == person_id)
        return sorted(await session.scalars(statement))


@pytest.mark.parametrize("language", ["en", "es"])
async def test_the_new_pages_pass_axe(
    language: str, phone: Page, phone_es: Page, runtime: Runtime
) -> None:
    page = phone if language == "en" else phone_es
    convening_id = await a_public_convening(runtime)
    person = await arrange(runtime, lambda s: create_person(s, email="rosa@example.org"))
    await arrange(runtime, lambda s: _a_reminder(s, person))
    (unsubscribe,) = await unsubscribe_links(runtime, person.email, MessageKind.CONVENING_REMINDER)
    # Signed out: the guest form (also with its errors), the sent page, the link's pages
    await page.goto(f"/convenings/{convening_id}")
    await assert_accessible(page, "convening offering a guest answer")
    await page.goto(f"/convenings/{convening_id}/guest-rsvp")
    heading = {"en": "Answer as a guest", "es": "Responder como invitado"}[language]
    await expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    await assert_accessible(page, "guest form")
    await page.locator("form[action$='/guest-rsvp'] button[type=submit]").click()
    await page.locator("[aria-invalid=true]").first.wait_for()
    await assert_accessible(page, "guest form with errors")
    await screenshot(page, f"guest-rsvp-form-errors-{language}")
    await page.locator("#guest-name").fill("Lupe")
    await page.locator("#guest-email").fill("lupe@example.org")
    await page.locator("form[action$='/guest-rsvp'] button[type=submit]").click()
    await page.locator("h1").wait_for()
    await assert_accessible(page, "guest link sent")
    (link,) = await email_links(runtime, "lupe@example.org", MessageKind.GUEST_RSVP_CONFIRM)
    await page.goto(local(link, page))
    await assert_accessible(page, "guest confirm")
    await page.locator("form[action='/guest-rsvp/confirm'] button").click()
    await page.locator("[role=status]").last.wait_for()
    await assert_accessible(page, "guest confirmed")
    await screenshot(page, f"guest-rsvp-confirmed-phone-{language}")
    for path in (unsubscribe, "/unsubscribe/not-a-token", "/convenings/Q29udmVuaW5nOjk5OTk5"):
        await page.goto(path)
        await assert_accessible(page, path)
    await page.goto(unsubscribe)
    await page.locator("form[action^='/unsubscribe/'] button").click()
    done = {"en": "Done: you get no more", "es": "Listo: ya no recibe"}[language]
    await expect(page.get_by_role("status").last).to_contain_text(done)
    await assert_accessible(page, "unsubscribed")
    # Signed in: my page's details with errors
    texts = SPANISH if language == "es" else {}
    if language == "es":
        async with runtime.sessions() as session:
            stored = await session.get_one(Person, person.id)
            stored.preferred_language = "es"  # type: ignore[assignment]
            await session.commit()
    await sign_in(page, runtime, person, **texts)
    await page.locator("#profile-name").fill("")
    await page.locator("form[action='/me/profile'] button").click()
    await page.locator("#profileName-error").wait_for()
    await assert_accessible(page, "my details with an error")
    await screenshot(page, f"me-details-{language}")


async def test_a_guest_answer_is_counted_on_the_convening(phone: Page, runtime: Runtime) -> None:
    """The convening's own counts (what the attendee list totals) see the guest once."""
    convening_id = await a_public_convening(runtime)
    await guest_rsvp(phone, convening_id, "Lupe Guest", "lupe@example.org")
    await confirm_from_email(phone, runtime, "lupe@example.org")
    async with runtime.sessions() as session:
        (convening,) = await session.scalars(select(Convening))
        assert convening.going_count == 1


async def test_an_admin_sees_guests_apart_and_attaches_one(
    phone: Page, desktop: Page, runtime: Runtime
) -> None:
    # Given a confirmed guest who named a directory organization, an admin and a member
    convening_id = await a_public_convening(runtime)
    await guest_rsvp(phone, convening_id, "Lupe Guest", "lupe@example.org", "Unión del Barrio")
    await confirm_from_email(phone, runtime, "lupe@example.org")

    async def people(session: Any) -> tuple[Person, Person]:
        return await create_admin(session), await create_member(session)

    admin, member = await arrange(runtime, people)
    # When a member opens the list: refused, nothing shown
    await sign_in(phone, runtime, member)
    refused = await phone.goto("/manage/guests")
    assert refused is not None and refused.status == 403
    await expect(phone.get_by_text("Lupe Guest")).to_have_count(0)
    # When the admin opens it, the guest is there with what they named
    await sign_in(desktop, runtime, admin)
    assert await open_guests(desktop) == ["Lupe Guest"]
    await expect(
        desktop.get_by_text("Named as their organization: Unión del Barrio")
    ).to_be_visible()
    await screenshot(desktop, "manage-guests-desktop")
    await assert_accessible(desktop, "guests")
    # And attaches them to the organization they named
    await attach_guest(desktop, "Lupe Guest", "Unión del Barrio")
    await screenshot(desktop, "manage-guests-attached-desktop")
    assert await open_guests(desktop) == []
    async with runtime.sessions() as session:
        guest = await session.scalar(select(Person).where(Person.email == "lupe@example.org"))
        assert guest is not None and guest.is_guest is False
        (affiliation,) = await session.scalars(
            select(Affiliation).where(Affiliation.person_id == guest.id)
        )
    assert affiliation.role == "MEMBER"
    # Signed out, the list sends to sign-in
    await phone.context.clear_cookies()
    await phone.goto("/manage/guests")
    assert "/signin?next=/manage/guests" in phone.url


@pytest.mark.parametrize("language", ["en", "es"])
async def test_the_guests_list_passes_axe(
    language: str, phone: Page, phone_es: Page, runtime: Runtime
) -> None:
    page = phone if language == "en" else phone_es

    async def given(session: Any) -> Person:
        await create_person(session, name="Gil Guest", is_guest=True, guest_organization_name="X")
        return await create_admin(session)

    admin = await arrange(runtime, given)
    if language == "es":
        await reads_spanish(runtime, admin)
    await sign_in(page, runtime, admin, **(SPANISH if language == "es" else {}))
    await page.goto("/manage/guests")
    heading = {"en": "Guests", "es": "Invitados"}[language]
    await expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    await assert_accessible(page, "guests")
    await screenshot(page, f"manage-guests-phone-{language}")

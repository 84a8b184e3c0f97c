"""The host's pages in a browser: the attendee list (by status and organization, the waitlist
in order, needs, the needs chart) and its CSV downloaded from the signed-in browser (its rows
are the page's list); a message to those going (one email each through the outbox); walk-ins
at the door on a phone; a tap while offline says so, in English and Spanish. Refused to
members and sent to sign in when signed out. Screenshots on a phone and a desktop."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, Page, expect
from sqlalchemy import func, select

from hub.delivery.email.kinds import MessageKind
from hub.infrastructure.models import AttendeeMessage, Convening, Person, Rsvp
from hub.infrastructure.models.convenings import AccessibilityNeed, RsvpStatus
from hub.infrastructure.models.directory import Organization
from hub.interfaces.graphql.node import to_global_id
from hub.interfaces.runtime import Runtime
from tests.convenings.factories import create_contact, create_convening, create_member, create_rsvp
from tests.factories import create_organization
from tests.frontend.backoffice import host_steps as steps
from tests.frontend.conftest import new_page, phone_context_args, screenshot
from tests.frontend.flows import SPANISH, arrange, reads_spanish, sign_in
from tests.frontend.over_http import csrf_of, sign_in_over_http
from tests.frontend.server import HubServer
from tests.frontend.test_accessibility import serious_violations
from tests.infrastructure.outbox import outbox_rows


@dataclass
class Hosted:
    contact: Person
    member: Person
    convening: Convening
    id: str


async def a_hosted_session(runtime: Runtime) -> Hosted:
    """A SCOPE-hosted session with two places: two going (with needs), two waiting in line,
    one maybe, one not going; a directory person who did not answer."""

    async def create(session: Any) -> Hosted:
        scope = await create_organization(session, name="SCOPE")
        madres = await create_organization(session, name="Madres en Acción")
        contact = await create_contact(session, scope)
        convening = await create_convening(
            session, hosts=[scope], title="January strategy session", capacity=2
        )
        people = {
            name: await create_member(session, org, name=name, email=email, phone=phone)
            for name, org, email, phone in (
                ("Noemí Peña", madres, "noemi@example.org", "555 0101"),
                ("Ana Alvarez", scope, "ana@example.org", None),
                ("Joaquín Muñoz", madres, "joaquin@example.org", None),
                ("Ben Brooks", scope, "ben@example.org", None),
                ("Carla Cruz", scope, "carla@example.org", None),
                ("Dan Diaz", madres, "dan@example.org", None),
                ("Rosa Díaz", scope, "rosa@example.org", None),
            )
        }
        await create_rsvp(
            session,
            convening,
            people["Noemí Peña"],
            organization_id=madres.id,
            interpretation_language="es",
            accessibility=[AccessibilityNeed.ASL.value, AccessibilityNeed.MOBILITY.value],
            childcare_count=2,
            dietary="Sin gluten",
        )
        await create_rsvp(session, convening, people["Ana Alvarez"], organization_id=scope.id)
        for position, name in enumerate(("Joaquín Muñoz", "Ben Brooks"), start=1):
            await create_rsvp(
                session, convening, people[name], RsvpStatus.WAITLISTED, waitlist_position=position
            )
        await create_rsvp(session, convening, people["Carla Cruz"], RsvpStatus.MAYBE)
        await create_rsvp(session, convening, people["Dan Diaz"], RsvpStatus.NOT_GOING)
        member = await create_member(session, scope, name="Mo Member")
        return Hosted(contact, member, convening, str(to_global_id("Convening", convening.id)))

    return await arrange(runtime, create)


async def _count(runtime: Runtime, model: Any, *where: Any) -> int:
    async with runtime.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model).where(*where)))


async def test_the_attendee_list_and_its_csv_download(desktop: Page, runtime: Runtime) -> None:
    given = await a_hosted_session(runtime)
    await sign_in(desktop, runtime, given.contact)

    shown = await steps.open_attendees(desktop, given.id)

    # By status (the waitlist in order), then organization
    assert [(a["status"], a["person"]) for a in shown] == [
        ("GOING", "Noemí Peña"),
        ("GOING", "Ana Alvarez"),
        ("WAITLISTED", "Joaquín Muñoz"),
        ("WAITLISTED", "Ben Brooks"),
        ("MAYBE", "Carla Cruz"),
        ("NOT_GOING", "Dan Diaz"),
    ]
    assert await steps.needs_totals_shown(desktop) == {
        "Interpretation: Spanish": 1,
        "ASL interpretation": 1,
        "Captioning": 0,
        "Mobility access": 1,
        "Childcare places": 2,
        "Dietary needs": 1,
    }
    await expect(desktop.get_by_text("noemi@example.org")).to_be_visible()
    await screenshot(desktop, "host-attendees-desktop")
    assert await serious_violations(desktop) == []
    # The CSV downloaded by the signed-in browser holds the list on the page
    rows = await steps.download_attendee_csv(desktop, given.id)
    key = ("person", "organization", "status")
    assert sorted(tuple(r[k] for k in key) for r in rows) == sorted(
        tuple(a[k] for k in key) for a in shown
    )
    by_person = {r["person"]: r for r in rows}
    assert (by_person["Noemí Peña"]["email"], by_person["Noemí Peña"]["phone"]) == (
        "noemi@example.org",
        "555 0101",
    )
    assert by_person["Noemí Peña"]["accessibility"] == "ASL;MOBILITY"
    # The door, on the desktop too
    await steps.open_the_door(desktop, given.id)
    await screenshot(desktop, "host-door-desktop")


async def test_the_attendee_list_on_a_phone(phone: Page, runtime: Runtime) -> None:
    given = await a_hosted_session(runtime)
    await sign_in(phone, runtime, given.contact)
    await steps.open_attendees(phone, given.id)
    assert await phone.evaluate("document.documentElement.scrollWidth") <= 390
    await screenshot(phone, "host-attendees-phone")


async def test_a_message_to_those_going_is_one_email_each(
    desktop: Page, phone: Page, runtime: Runtime
) -> None:
    given = await a_hosted_session(runtime)
    await sign_in(desktop, runtime, given.contact)

    await steps.message_attendees(
        desktop,
        given.id,
        "GOING",
        "Parking",
        "Park behind the hall.",
        subject_es="Estacionamiento",
        text_es="Estacione detrás del salón.",
    )

    rows = await outbox_rows(runtime, kind=MessageKind.HOST_MESSAGE)
    assert sorted(r.recipient_address for r in rows) == ["ana@example.org", "noemi@example.org"]
    sent = desktop.locator("#sent-messages > li")
    await expect(sent).to_have_count(1)
    await expect(sent.first.locator(".sent-subject")).to_have_text("Parking")
    await expect(sent.first.locator(".sent-count")).to_have_text("2 recipients")
    await expect(sent.first).to_contain_text("To those going")
    await expect(sent.first).to_contain_text(f"Sent by {given.contact.name}")
    await screenshot(desktop, "host-messages-desktop")
    # The same form posted again (a reload's resubmission) sends nothing more
    await desktop.go_back()
    assert await _count(runtime, AttendeeMessage) == 1
    await sign_in(phone, runtime, given.contact)
    await phone.goto(f"/convenings/{given.id}/messages")
    await screenshot(phone, "host-messages-phone")


async def test_a_bad_message_shows_each_error_beside_its_field(
    phone: Page, runtime: Runtime
) -> None:
    given = await a_hosted_session(runtime)
    await sign_in(phone, runtime, given.contact)
    await phone.goto(f"/convenings/{given.id}/messages")
    await phone.get_by_label("Asunto").fill("Hola")
    await phone.get_by_role("button", name="Send the message").click()
    await expect(phone.locator("#subject-error")).to_have_text("Fill this in.")
    await expect(phone.locator("#text-error")).to_have_text("Fill this in.")
    await expect(phone.locator("#textEs-error")).to_have_text("Fill this in.")
    assert await serious_violations(phone) == []
    assert await _count(runtime, AttendeeMessage) == 0
    assert await outbox_rows(runtime, kind=MessageKind.HOST_MESSAGE) == []


async def test_two_walk_ins_at_the_door_on_a_phone(phone: Page, runtime: Runtime) -> None:
    given = await a_hosted_session(runtime)
    await sign_in(phone, runtime, given.contact)
    await steps.open_the_door(phone, given.id)
    # Everyone expected is listed, with their needs on a tap
    expected = phone.locator("#expected > li")
    await expect(expected).to_have_count(2)
    await phone.get_by_text("Needs of Noemí Peña").tap()
    await expect(phone.get_by_text("Childcare: 2")).to_be_visible()

    # A person of the directory, and a new one for an organization typed at the door
    await steps.register_walk_in(phone, given.id, name="Rosa Díaz", from_directory=True)
    await steps.register_walk_in(phone, given.id, name="Tomás Reyes", organization="Vecinos Unidos")

    await expect(phone.locator("#counts")).to_have_text("2 of 4 checked in")
    await expect(expected).to_have_count(4)
    await expect(expected.filter(has_text="Rosa Díaz")).to_contain_text("SCOPE")
    walk_ins = Rsvp.convening_id == given.convening.id, Rsvp.walk_in.is_(True)
    assert await _count(runtime, Rsvp, *walk_ins, Rsvp.checked_in_at.is_not(None)) == 2
    assert await phone.evaluate("document.documentElement.scrollWidth") <= 390
    await screenshot(phone, "host-walk-ins-phone")
    assert await serious_violations(phone) == []


async def test_a_walk_in_without_a_name_is_refused_beside_the_field(
    phone: Page, runtime: Runtime
) -> None:
    given = await a_hosted_session(runtime)
    await sign_in(phone, runtime, given.contact)
    await steps.open_the_door(phone, given.id)
    people = await _count(runtime, Person)
    await phone.get_by_role("button", name="Check in the walk-in").tap()
    await expect(phone.locator("#walkin-name-error")).to_have_text("Fill this in.")
    assert await _count(runtime, Person) == people
    assert await _count(runtime, Organization) == 2


async def test_the_host_pages_read_in_spanish(phone_es: Page, runtime: Runtime) -> None:
    given = await a_hosted_session(runtime)
    await reads_spanish(runtime, given.contact)
    await sign_in(phone_es, runtime, given.contact, **SPANISH)
    for path, heading in (
        ("attendees", "Asistentes"),
        ("messages", "Escribir a los asistentes"),
        ("checkin", "Registro"),
    ):
        await phone_es.goto(f"/convenings/{given.id}/{path}")
        await expect(phone_es.locator("h1")).to_contain_text(heading)
        main = await phone_es.locator("main").inner_text()
        for english in ("Going", "Download", "Needs", "Send", "Walk-in", "Message", "expected"):
            assert english not in main, (path, english)
        await screenshot(phone_es, f"host-{path}-es")


@pytest.mark.parametrize("language", ["en", "es"])
async def test_a_tap_while_offline_says_nothing_was_saved(
    language: str, phone: Page, phone_es: Page, runtime: Runtime
) -> None:
    page = phone if language == "en" else phone_es
    given = await a_hosted_session(runtime)
    if language == "es":
        await reads_spanish(runtime, given.contact)
    await sign_in(page, runtime, given.contact, **(SPANISH if language == "es" else {}))
    await page.goto(f"/convenings/{given.id}/checkin")
    await page.context.set_offline(True)
    await page.locator("#expected button").first.tap()
    offline = {
        "en": "You're offline \u2014 not saved. Try again.",
        "es": "Sin conexión: no se guardó. Inténtelo de nuevo.",
    }[language]
    await expect(page.locator("#status")).to_have_text(offline)
    checked = Rsvp.convening_id == given.convening.id, Rsvp.checked_in_at.is_not(None)
    assert await _count(runtime, Rsvp, *checked) == 0
    # Back online, the same tap goes through
    await page.context.set_offline(False)
    await page.locator("#expected button").first.tap()
    await expect(page.locator("#status")).not_to_have_text(offline)
    await expect(page.locator("#counts")).to_contain_text("1")
    await screenshot(page, f"host-door-{language}")


@pytest.mark.parametrize("path", ["attendees", "messages", "checkin"])
async def test_a_member_is_refused_and_a_stranger_sent_to_sign_in(
    path: str, http: httpx.AsyncClient, runtime: Runtime
) -> None:
    given = await a_hosted_session(runtime)
    url = f"/convenings/{given.id}/{path}"

    stranger = await http.get(url)
    assert stranger.status_code == 303
    assert stranger.headers["location"].startswith("/signin?next=")

    await sign_in_over_http(http, runtime, given.member)
    page = await http.get(url)
    assert page.status_code == 403
    assert "Noemí" not in page.text


async def test_a_members_posted_message_and_walk_in_change_nothing(
    http: httpx.AsyncClient, runtime: Runtime
) -> None:
    given = await a_hosted_session(runtime)
    await sign_in_over_http(http, runtime, given.member)
    token = csrf_of(await http.get("/me"))
    people = await _count(runtime, Person)

    sent = await http.post(
        f"/convenings/{given.id}/messages",
        data={"csrf_token": token, "audience": "ALL", "subject": "x", "text": "y", "key": "k"},
    )
    walked = await http.post(
        f"/convenings/{given.id}/checkin/walk-in",
        data={"csrf_token": token, "name": "Eve", "key": "k"},
    )

    assert (sent.status_code, walked.status_code) == (403, 403)
    assert await _count(runtime, AttendeeMessage) == 0
    assert await outbox_rows(runtime, kind=MessageKind.HOST_MESSAGE) == []
    assert await _count(runtime, Person) == people


@pytest.fixture
async def phone_without_js(chromium: Browser, hub_server: HubServer) -> AsyncIterator[Page]:
    context = await chromium.new_context(
        base_url=hub_server.url, java_script_enabled=False, **phone_context_args()
    )
    yield await new_page(context)
    await context.close()


async def test_with_javascript_off_the_host_messages_and_registers_walk_ins(
    phone_without_js: Page, runtime: Runtime
) -> None:
    page = phone_without_js
    given = await a_hosted_session(runtime)
    await sign_in(page, runtime, given.contact)

    await steps.message_attendees(page, given.id, "WAITLISTED", "A place may open", "Come early.")
    await steps.register_walk_in(page, given.id, name="Rosa Díaz", from_directory=True)
    await steps.register_walk_in(page, given.id, name="Eva Luna", organization="SCOPE")

    rows = await outbox_rows(runtime, kind=MessageKind.HOST_MESSAGE)
    assert sorted(r.recipient_address for r in rows) == ["ben@example.org", "joaquin@example.org"]
    await expect(page.locator("#counts")).to_have_text("2 of 4 checked in")
    assert await _count(runtime, Rsvp, Rsvp.walk_in.is_(True)) == 2

"""Check-in at the door on a phone, and a page read in Spanish."""

from __future__ import annotations

from typing import Any

from playwright.async_api import Page, expect

from hub.infrastructure.models.convenings import RsvpStatus
from hub.interfaces.runtime import Runtime
from tests.convenings.factories import create_rsvp
from tests.frontend.conftest import screenshot
from tests.frontend.flows import arrange, reads_spanish, sign_in
from tests.frontend.test_accessibility import serious_violations
from tests.frontend.test_convenings import a_delegation


async def test_check_in_on_a_phone(phone: Page, runtime: Runtime) -> None:
    given = await a_delegation(runtime)

    async def going(session: Any) -> None:
        await create_rsvp(session, given.convening, given.ana, RsvpStatus.GOING)
        await create_rsvp(session, given.convening, given.ben, RsvpStatus.GOING)

    await arrange(runtime, going)
    await sign_in(phone, runtime, given.contact)
    await phone.goto(given.url)
    await phone.get_by_role("link", name="Check-in at the door").click()
    await expect(phone.locator("#counts")).to_have_text("0 of 2 checked in")
    await phone.get_by_label("Name (a few letters)").fill("alv")
    await phone.get_by_role("button", name="Find").click()
    tap = phone.get_by_role("button", name="Check in Ana Alvarez")
    box = await tap.bounding_box()
    assert box is not None and box["width"] >= 44 and box["height"] >= 44
    await tap.tap()
    await expect(phone.locator("#status")).to_have_text("Checked in: Ana Alvarez")
    await expect(phone.locator("#counts")).to_have_text("1 of 2 checked in")
    width = await phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    await screenshot(phone, "checkin-en")
    assert await serious_violations(phone) == []
    await phone.get_by_role("button", name="Undo check-in of Ana Alvarez").tap()
    await expect(phone.locator("#counts")).to_have_text("0 of 2 checked in")


async def test_a_convening_page_in_spanish(phone_es: Page, runtime: Runtime) -> None:
    given = await a_delegation(runtime)
    await reads_spanish(runtime, given.contact)
    await sign_in(
        phone_es,
        runtime,
        given.contact,
        label="Correo electrónico",
        button="Entrar en Coalition Hub",
    )
    await expect(phone_es.locator("#status")).to_have_text("Ha entrado.")
    await phone_es.goto(given.url)
    await expect(phone_es.locator("html")).to_have_attribute("lang", "es")
    own = phone_es.locator("form", has=phone_es.get_by_role("button", name="Guardar mi respuesta"))
    await own.get_by_role("button", name="Guardar mi respuesta").click()
    await expect(phone_es.locator("#self-status-error")).to_have_text("Complete este campo.")
    main = await phone_es.locator("body").inner_text()
    for english in ("Going", "Save", "Fill this in", "Sign", "Needs", "Sunday", "Monday"):
        assert english not in main
    assert any(
        day in main
        for day in ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")
    )
    await screenshot(phone_es, "convening-es")
    assert await serious_violations(phone_es) == []
    # The choice of English sticks across a reload
    await phone_es.get_by_role("link", name="English").click()
    await expect(phone_es.locator("html")).to_have_attribute("lang", "en")
    await phone_es.reload()
    await expect(phone_es.locator("html")).to_have_attribute("lang", "en")

"""My tokens and the admins' page in a phone's browser: a token made with the keyboard's
labels, shown once, with its form's errors, and every page passing axe, in English and
Spanish."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.async_api import Page

from hub.infrastructure.models import Person
from hub.interfaces.runtime import Runtime
from tests.factories import create_admin
from tests.frontend.flows import SPANISH, arrange, reads_spanish, sign_in
from tests.frontend.test_accessibility import assert_accessible

NEXT_MONTH = (date.today() + timedelta(days=30)).isoformat()
TEXTS = {
    "en": {
        "name": "What the token is for",
        "expires": "It expires at the end of",
        "make": "Make a token",
        "secret": "Your new token",
        "required": "Fill this in.",
    },
    "es": {
        "name": "Para qué es el token",
        "expires": "Vence al final del día",
        "make": "Crear un token",
        "secret": "Tu nuevo token",
        "required": "Complete este campo.",
    },
}


@pytest.mark.parametrize("language", ["en", "es"])
async def test_an_admin_makes_a_token_and_reads_the_admins_page(
    language: str, phone: Page, phone_es: Page, runtime: Runtime
) -> None:
    page = phone if language == "en" else phone_es
    texts = TEXTS[language]
    admin: Person = await arrange(runtime, lambda s: create_admin(s, email="ana@example.org"))
    if language == "es":
        await reads_spanish(runtime, admin)
    await sign_in(page, runtime, admin, **(SPANISH if language == "es" else {}))

    # An empty form names what is missing, and passes axe with its error showing
    await page.get_by_label(texts["expires"]).fill(NEXT_MONTH)
    await page.get_by_role("button", name=texts["make"]).click()
    await page.locator("[aria-invalid=true]").first.wait_for()
    assert texts["required"] in await page.locator("#name-error").inner_text()
    await assert_accessible(page, "my page with a token error")

    # A named token is shown once, in a field of its own
    await page.get_by_label(texts["name"]).fill("CRM sync")
    await page.get_by_label(texts["expires"]).fill(NEXT_MONTH)
    await page.get_by_role("button", name=texts["make"]).click()
    secret = await page.get_by_label(texts["secret"]).input_value()
    assert secret.startswith("hub_pat_")
    await assert_accessible(page, "my page with a new token")
    await page.goto("/me")
    assert secret not in await page.content()
    await assert_accessible(page, "my page listing a token")

    await page.goto("/admins")
    await assert_accessible(page, "/admins")

"""Importing people in a browser: an admin uploads a spreadsheet of 70 people from 44
organizations with 3 bad rows, the preview names the 3 errors and their reasons, the import
adds the 67 others, and a second import of the same file changes nothing. On a desktop and
on a phone, in English and in Spanish, axe clean, without JavaScript too."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect
from sqlalchemy import func, select

from hub.infrastructure.models import Affiliation, Person
from hub.interfaces.runtime import Runtime
from tests.directory.people_files import create_organizations
from tests.factories import create_admin
from tests.frontend.backoffice.import_steps import (
    import_people_csv,
    preview_people_csv,
    shown_errors,
    write_people_csv,
)
from tests.frontend.conftest import new_page, phone_context_args, screenshot
from tests.frontend.flows import SPANISH, arrange, reads_spanish, sign_in
from tests.frontend.server import HubServer
from tests.frontend.test_accessibility import assert_accessible

REASONS = {
    "en": {
        "INVALID_EMAIL": "The email is not a valid address.",
        "UNKNOWN_ORGANIZATION": "No organization in the directory has this name.",
        "MISSING_NAME": "The name is missing.",
    },
    "es": {
        "INVALID_EMAIL": "El correo no es una dirección válida.",
        "UNKNOWN_ORGANIZATION": "Ninguna organización del directorio tiene este nombre.",
        "MISSING_NAME": "Falta el nombre.",
    },
}
FIRST_IMPORT = {"create": 67, "update": 0, "unchanged": 0, "error": 3}
NOTHING_LEFT = {"rows": 70, "create": 0, "update": 0, "unchanged": 67, "error": 3}


async def an_admin_and_44_organizations(runtime: Runtime) -> Person:
    async def given(session):
        await create_organizations(session)
        return await create_admin(session, email="staff@alliance.org")

    return await arrange(runtime, given)


async def directory_counts(runtime: Runtime) -> tuple[int, int, int]:
    async with runtime.sessions() as session:
        people = await session.scalar(select(func.count()).select_from(Person))
        affiliations = await session.scalar(select(func.count()).select_from(Affiliation))
        organizations = await session.scalar(
            select(func.count(func.distinct(Affiliation.organization_id)))
        )
        await session.rollback()
    return int(people or 0), int(affiliations or 0), int(organizations or 0)


@pytest.mark.parametrize("language", ["en", "es"])
async def test_an_admin_imports_70_people_and_a_second_import_changes_nothing(
    language: str, desktop: Page, phone: Page, phone_es: Page, runtime: Runtime, tmp_path: Path
) -> None:
    # Given an admin, the 44 organizations, and their spreadsheet of 70 people (3 bad)
    admin = await an_admin_and_44_organizations(runtime)
    if language == "es":
        await reads_spanish(runtime, admin)
    people = write_people_csv(tmp_path / "people.csv", spanish=language == "es")
    phone_page = phone_es if language == "es" else phone
    await sign_in(desktop, runtime, admin)
    await sign_in(phone_page, runtime, admin, **(SPANISH if language == "es" else {}))

    # When the admin opens the import page and previews the file, on a desktop
    await desktop.goto("/manage/import")
    await assert_accessible(desktop, f"/manage/import ({language})")
    await screenshot(desktop, f"people-import-desktop-{language}")
    previewed = await preview_people_csv(desktop, people.path, language=language)

    # Then the preview shows the 3 errors first, each with its reason, and nothing is saved
    assert previewed == {"rows": 70, "create": 67, "update": 0, "unchanged": 0, "error": 3}
    reasons = REASONS[language]
    assert await shown_errors(desktop) == {
        line: [reasons[reason]] for line, reason in people.bad_lines.items()
    }
    assert await directory_counts(runtime) == (1, 0, 0)
    await assert_accessible(desktop, f"import preview ({language})")
    await screenshot(desktop, f"people-import-preview-desktop-{language}")

    # When the admin imports the valid rows
    imported = await import_people_csv(desktop, people.path, language=language)

    # Then the 67 people are in the directory, in their 44 organizations
    assert imported == FIRST_IMPORT
    assert await directory_counts(runtime) == (68, 67, 44)
    async with runtime.sessions() as session:
        emails = set(await session.scalars(select(Person.email)))
        await session.rollback()
    assert emails == {*people.valid_emails, "staff@alliance.org"}
    await assert_accessible(desktop, f"import result ({language})")
    await screenshot(desktop, f"people-import-result-desktop-{language}")

    # When the same file is imported again, on a phone
    again = await import_people_csv(phone_page, people.path, language=language)

    # Then there is nothing left to import, and nothing changed
    assert again == NOTHING_LEFT
    await expect(phone_page.locator("form.import-confirm")).to_have_count(0)
    assert await directory_counts(runtime) == (68, 67, 44)
    await assert_accessible(phone_page, f"second preview ({language})")
    await screenshot(phone_page, f"people-import-nothing-left-phone-{language}")


async def test_on_a_phone_the_preview_and_the_result_read_well(
    phone: Page, runtime: Runtime, tmp_path: Path
) -> None:
    admin = await an_admin_and_44_organizations(runtime)
    people = write_people_csv(tmp_path / "people.csv")
    await sign_in(phone, runtime, admin)
    await phone.goto("/manage/import")
    await screenshot(phone, "people-import-phone-en")
    # While a form is busy (hub.js marks it on submit), it shows its progress
    busy = phone.locator("#preview-busy progress")
    await expect(busy).to_be_hidden()
    await phone.locator("form[action='/manage/import/preview']").evaluate(
        "form => form.setAttribute('aria-busy', 'true')"
    )
    await expect(busy).to_be_visible()
    await screenshot(phone, "people-import-busy-phone-en")
    await preview_people_csv(phone, people.path)
    await screenshot(phone, "people-import-preview-phone-en")
    # The page fits the phone's width: nothing to scroll sideways
    width = await phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    assert await import_people_csv(phone, people.path) == FIRST_IMPORT
    await screenshot(phone, "people-import-result-phone-en")


@pytest.fixture
async def phone_without_js(chromium: Browser, hub_server: HubServer) -> AsyncIterator[Page]:
    context = await chromium.new_context(
        base_url=hub_server.url, java_script_enabled=False, **phone_context_args()
    )
    yield await new_page(context)
    await context.close()


async def test_the_import_works_without_javascript(
    phone_without_js: Page, runtime: Runtime, tmp_path: Path
) -> None:
    admin = await an_admin_and_44_organizations(runtime)
    people = write_people_csv(tmp_path / "people.csv")
    await sign_in(phone_without_js, runtime, admin)
    assert await import_people_csv(phone_without_js, people.path) == FIRST_IMPORT
    await expect(phone_without_js.locator("#status")).to_have_text("The import is done.")
    assert await directory_counts(runtime) == (68, 67, 44)

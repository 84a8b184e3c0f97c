"""The directory back office in a browser: an admin walks every page (create, edit, search with
accents folded, affiliations, archive, remove, merge, the CSV), on a desktop and a phone, in
English and Spanish, axe clean, with screenshots; a member is refused and changes nothing."""

from __future__ import annotations

import pytest
from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Page
from sqlalchemy import func, select

from hub.infrastructure.models import Affiliation, Organization, Person
from hub.interfaces.graphql.node import to_global_id
from hub.interfaces.runtime import Runtime
from tests.convenings.factories import create_convening, create_member, create_rsvp
from tests.factories import affiliate, create_admin, create_organization, create_person
from tests.frontend.backoffice import directory_steps as steps
from tests.frontend.conftest import screenshot
from tests.frontend.flows import SPANISH, arrange, reads_spanish, sign_in

SERIOUS = {"serious", "critical"}


async def _serious(page: Page) -> list[str]:
    results = await Axe().run(page)
    return [v["id"] for v in results.response["violations"] if v["impact"] in SERIOUS]


async def _count(runtime: Runtime, model) -> int:
    async def counted(session):
        return int(await session.scalar(select(func.count()).select_from(model)))

    return await arrange(runtime, counted)


async def test_an_admin_keeps_the_directory_in_a_browser(
    desktop: Page, phone: Page, runtime: Runtime
):
    admin = await arrange(
        runtime, lambda s: create_admin(s, name="Ada Admin", email="ada@example.org")
    )
    await arrange(
        runtime, lambda s: create_person(s, name="Rosa Álvarez", email="rosa@example.org")
    )
    await sign_in(desktop, runtime, admin)

    scope = await steps.create_organization(
        desktop,
        "SCOPE",
        kind="MEMBER",
        anchor_role="REGIONAL_ANCHOR",
        sector="COMMUNITY_ORGANIZING",
        region="Los Angeles",
        counties="Los Angeles",
    )
    await screenshot(desktop, "manage-organization-desktop")
    await steps.edit_organization(desktop, scope, region="South Los Angeles")
    cuc = await steps.create_organization(desktop, "Unión Muñoz", kind="ALLY", sector="LABOR")
    maria = await steps.create_person(
        desktop, "María González", "maria@example.org", phone="+1 213 555 0100"
    )
    await steps.edit_person(desktop, maria, language="ES")
    await steps.add_affiliation(desktop, maria, "SCOPE", "MEMBER")
    await steps.add_affiliation(desktop, maria, "Unión Muñoz", "STAFF")
    await steps.change_affiliation_role(desktop, maria, "SCOPE", "CONTACT")
    await steps.end_affiliation(desktop, maria, "Unión Muñoz")
    await screenshot(desktop, "manage-person-desktop")
    found_two_letters = await steps.search_directory(desktop, "ma go")
    found_folded = await steps.search_directory(desktop, "ALVAREZ")
    found_munoz = await steps.search_directory(desktop, "munoz")
    await screenshot(desktop, "manage-directory-desktop")
    duplicate = await steps.create_person(desktop, "Maria Gonzalez", "mgonzalez@example.org")
    await steps.add_affiliation(desktop, duplicate, "Unión Muñoz", "LEADER")
    await desktop.goto(f"{maria}/merge?q=gonzalez")
    await screenshot(desktop, "manage-merge-desktop")
    await steps.merge_people(desktop, maria, "gonzalez", "Maria Gonzalez")
    rows = await steps.download_directory_csv(desktop)
    await steps.archive_organization(desktop, cuc)
    after_archive = await steps.search_directory(desktop, "munoz")
    await steps.remove_person(desktop, await _person_url(desktop, "Rosa"))
    after_removal = await steps.search_directory(desktop, "alvarez")

    assert found_two_letters == ["María González"]
    assert found_folded == ["Rosa Álvarez"]
    assert found_munoz == ["Unión Muñoz"]
    # A cell beginning with "+" would be a formula to a spreadsheet: it is opened as text.
    safe_phone = "'+1 213 555 0100"
    assert {(r["name"], r["email"], r["phone"], r["organization"], r["role"]) for r in rows} == {
        ("Ada Admin", "ada@example.org", "", "", ""),
        ("María González", "maria@example.org", safe_phone, "SCOPE", "CONTACT"),
        ("María González", "maria@example.org", safe_phone, "Unión Muñoz", "LEADER"),
        ("Rosa Álvarez", "rosa@example.org", "", "", ""),
    }
    assert after_archive == [] and after_removal == []

    async def stored(session):
        region = await session.scalar(
            select(Organization.region).where(Organization.name == "SCOPE")
        )
        people = list(await session.scalars(select(Person.name).order_by(Person.name)))
        return region, people

    assert await arrange(runtime, stored) == (
        "South Los Angeles",
        ["Ada Admin", "Former member", "María González"],
    )
    # Every page on a phone too.
    await sign_in(phone, runtime, admin)
    for url, name in (
        ("/manage/directory", "manage-directory"),
        ("/manage/organizations/new", "manage-organization-new"),
        (scope.removeprefix(desktop.url.split("/manage")[0]), "manage-organization"),
        ("/manage/people/new", "manage-person-new"),
        (maria.removeprefix(desktop.url.split("/manage")[0]), "manage-person"),
        (f"{maria.removeprefix(desktop.url.split('/manage')[0])}/merge?q=a", "manage-merge"),
    ):
        await phone.goto(url)
        width = await phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, url
        await screenshot(phone, f"{name}-phone")


async def _person_url(page: Page, search: str) -> str:
    await steps.search_directory(page, search)
    href = await page.locator("ul.people li > a").first.get_attribute("href")
    assert href
    return href


async def test_a_bad_form_shows_each_error_beside_its_field_and_saves_nothing(
    desktop: Page, runtime: Runtime
):
    admin = await arrange(runtime, lambda s: create_admin(s, email="ada@example.org"))
    await sign_in(desktop, runtime, admin)

    await desktop.goto("/manage/organizations/new")
    await desktop.get_by_label("Kind").select_option("PEER")
    await desktop.get_by_label("State (two letters; required for peers)").fill("ZZ")
    await desktop.get_by_role("button", name="Create the organization").click()
    await desktop.locator("#name-error").wait_for()
    await screenshot(desktop, "manage-organization-errors-desktop")
    await desktop.goto("/manage/people/new")
    await desktop.get_by_label("Name", exact=True).fill("Luis")
    await desktop.get_by_label("Email", exact=True).fill("ada@")
    await desktop.get_by_label("Phone").fill("call me")
    await desktop.get_by_role("button", name="Create the person").click()
    await desktop.locator("#email-error").wait_for()

    email_error = await desktop.locator("#email-error").inner_text()
    assert email_error == "Enter an email address, such as name@example.org."
    assert await desktop.locator("#phone-error").is_visible()
    assert await desktop.get_by_label("Name", exact=True).get_attribute("aria-invalid") is None
    assert await _count(runtime, Organization) == 0
    assert await _count(runtime, Person) == 1


@pytest.mark.parametrize("language", ["en", "es"])
async def test_every_directory_page_passes_axe(
    language: str, phone: Page, phone_es: Page, runtime: Runtime
):
    page = phone if language == "en" else phone_es
    admin = await arrange(
        runtime, lambda s: create_admin(s, name="Ada Admin", email="ada@example.org")
    )
    if language == "es":
        await reads_spanish(runtime, admin)
    await sign_in(page, runtime, admin, **(SPANISH if language == "es" else {}))
    await page.goto("/manage/people/new")
    await page.locator("form[action='/manage/people/new'] button").click()
    await page.wait_for_url("**/manage/people/new")
    assert await _serious(page) == [], "person form with errors"
    await page.goto("/manage/organizations/new")
    await page.locator("form[action='/manage/organizations/new'] button").click()
    assert await _serious(page) == [], "organization form with errors"
    await screenshot(page, f"manage-organization-errors-{language}")

    async def seeded(session):
        org = await create_organization(session, name="SCOPE")
        person = await create_person(session, name="María González")
        await affiliate(session, person, org)
        return org.id, person.id

    org_id, person_id = await arrange(runtime, seeded)
    org_url = f"/manage/organizations/{to_global_id('Organization', org_id)}"
    person_url = f"/manage/people/{to_global_id('Person', person_id)}"
    for path in (
        "/manage/directory",
        "/manage/directory?q=ma go",
        org_url,
        person_url,
        f"{person_url}/merge?q=a",
    ):
        await page.goto(path)
        assert await _serious(page) == [], path
    await screenshot(page, f"manage-merge-{language}")
    if language == "es":
        await page.goto("/manage/directory")
        assert await page.get_by_role("link", name="Nueva organización").is_visible()


async def test_a_member_is_refused_and_changes_nothing(phone: Page, runtime: Runtime):
    member = await arrange(runtime, lambda s: create_member(s))

    async def seeded(session):
        convening = await create_convening(session)
        other = await create_person(session, name="Other")
        await create_rsvp(session, convening, other)
        return other.id

    other_id = await arrange(runtime, seeded)
    before = (await _count(runtime, Person), await _count(runtime, Affiliation))
    await phone.goto("/manage/directory")
    assert "/signin?next=" in phone.url
    await sign_in(phone, runtime, member)
    for path in (
        "/manage/directory",
        "/manage/people/new",
        f"/manage/people/{to_global_id('Person', other_id)}",
    ):
        response = await phone.goto(path)
        assert response is not None and response.status == 403, path
        assert await phone.get_by_role("heading", name="Not available").is_visible()
    await screenshot(phone, "manage-directory-refused-phone")

    assert (await _count(runtime, Person), await _count(runtime, Affiliation)) == before

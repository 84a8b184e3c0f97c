"""axe-core finds no serious or critical violation on any page, in English and in Spanish,
signed in and not, with the forms' errors showing; and it does catch a broken page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Page

from hub.interfaces.graphql.node import to_global_id
from hub.interfaces.runtime import Runtime
from tests.convenings.factories import create_convening, create_series
from tests.factories import create_admin, create_organization
from tests.frontend.backoffice import directory_steps, operations_steps
from tests.frontend.committee import a_host_on_the_committee, an_open_vote, close
from tests.frontend.conftest import screenshot
from tests.frontend.flows import SPANISH, arrange, reads_spanish, sign_in
from tests.governance.factories import create_proposal

SERIOUS = {"serious", "critical"}
SAVE = {"en": "Save my answer", "es": "Guardar mi respuesta"}
SIGN_OUT = {"en": "Sign out", "es": "Salir"}
SEND_LINK = {"en": "Send me a sign-in link", "es": "Enviarme un enlace para entrar"}


async def serious_violations(page: Page) -> list[str]:
    results = await Axe().run(page)
    violations = results.response["violations"]
    return [v["id"] for v in violations if v["impact"] in SERIOUS]


async def assert_accessible(page: Page, where: str) -> None:
    assert await serious_violations(page) == [], where


async def test_axe_catches_a_broken_page(phone: Page) -> None:
    await phone.set_content(
        '<html><body><button></button><p style="color:#eee">x</p></body></html>'
    )
    assert "button-name" in await serious_violations(phone)


@pytest.mark.parametrize("language", ["en", "es"])
async def test_every_page_passes_axe(
    language: str, phone: Page, phone_es: Page, runtime: Runtime
) -> None:
    page = phone if language == "en" else phone_es
    given = await a_host_on_the_committee(runtime)
    if language == "es":
        await reads_spanish(runtime, given.person)
    # Signed in: my page, the lists, a convening (also with an error showing), check-in, a vote
    await sign_in(page, runtime, given.person, **(SPANISH if language == "es" else {}))
    signed_in = [
        "/me",
        "/convenings",
        given.convening_url,
        f"{given.convening_url}/checkin",
        f"{given.convening_url}/checkin?q=alv",
        f"{given.convening_url}/checkin?who=an",
        f"{given.convening_url}/attendees",
        f"{given.convening_url}/messages",
        "/proposals",
        given.vote.url,
        "/directory",
    ]
    for path in signed_in:
        await page.goto(path)
        await assert_accessible(page, path)
    await page.goto(given.convening_url)
    await page.get_by_role("button", name=SAVE[language]).click()
    await page.locator("[aria-invalid=true]").first.wait_for()
    await assert_accessible(page, "convening with an error")
    # After the close: the results, signed in and not
    await close(runtime, given.vote)
    await page.goto(given.vote.url)
    await assert_accessible(page, "results")
    await screenshot(page, f"proposal-host-results-{language}")
    await page.get_by_role("button", name=SIGN_OUT[language], exact=True).click()
    await page.locator("#status:not(:empty)").wait_for()
    await assert_accessible(page, "signed out")
    # Not signed in: the public pages, sign-in steps and a refusal
    public = [
        "/convenings",
        "/proposals",
        given.vote.url,
        "/directory?kind=MEMBER",
        "/signin",
        "/signin/link?token=whatever",
        "/convenings/not-a-convening",
        "/guest-rsvp/confirm?token=whatever",
        "/unsubscribe/not-a-token",
    ]
    for path in public:
        await page.goto(path)
        await assert_accessible(page, path)
    await page.goto("/signin")
    await page.locator("#email").fill("nobody@example.org")
    await page.get_by_role("button", name=SEND_LINK[language]).click()
    await page.locator("#status:not(:empty)").wait_for()
    await assert_accessible(page, "link sent")
    await page.goto("/signin/link?token=wrong")
    await page.locator("form[action='/signin/link'] button").click()
    await page.get_by_role("alert").wait_for()
    await assert_accessible(page, "link refused")


# The back office's pages as an admin reads them (each area's steps module lists its pages).
BACK_OFFICE_PAGES = [*operations_steps.PAGES.values(), *directory_steps.PAGES.values()]


@pytest.mark.parametrize("language", ["en", "es"])
async def test_the_back_office_pages_pass_axe(
    language: str, phone: Page, phone_es: Page, runtime: Runtime
) -> None:
    page = phone if language == "en" else phone_es
    admin = await arrange(runtime, create_admin)
    if language == "es":
        await reads_spanish(runtime, admin)
    await sign_in(page, runtime, admin, **(SPANISH if language == "es" else {}))
    for path in BACK_OFFICE_PAGES:
        await page.goto(path)
        await assert_accessible(page, f"{path} ({language})")


@pytest.mark.parametrize("language", ["en", "es"])
async def test_the_people_import_pages_pass_axe(
    language: str, phone: Page, phone_es: Page, runtime: Runtime, tmp_path: Path
) -> None:
    # An admin: the upload form, then with a file's error showing, then a preview
    from tests.frontend.backoffice.import_steps import TEXTS, preview_people_csv, write_people_csv
    from tests.frontend.test_people_import import an_admin_and_44_organizations

    page = phone if language == "en" else phone_es
    admin = await an_admin_and_44_organizations(runtime)
    if language == "es":
        await reads_spanish(runtime, admin)
    await sign_in(page, runtime, admin, **(SPANISH if language == "es" else {}))
    await page.goto("/manage/import")
    await assert_accessible(page, "/manage/import")
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    await page.get_by_label(TEXTS[language]["file"]).set_input_files(empty)
    await page.get_by_role("button", name=TEXTS[language]["preview"], exact=True).click()
    await page.locator("[aria-invalid=true]").wait_for()
    await assert_accessible(page, "/manage/import with an error")
    await screenshot(page, f"people-import-error-phone-{language}")
    await preview_people_csv(
        page, write_people_csv(tmp_path / "people.csv").path, language=language
    )
    await assert_accessible(page, "/manage/import/preview")


SAVE_SEAT = {"en": "Save the seat", "es": "Guardar el puesto"}
SAVE_DRAFT = {"en": "Save the draft", "es": "Guardar el borrador"}
OPEN_VOTING = {"en": "Open voting", "es": "Abrir la votación"}


@pytest.mark.parametrize("language", ["en", "es"])
async def test_the_committee_back_office_passes_axe(
    language: str, phone: Page, phone_es: Page, runtime: Runtime
) -> None:
    page = phone if language == "en" else phone_es
    given = await an_open_vote(runtime)
    discussed = await arrange(runtime, lambda session: create_proposal(session, title="Talk"))
    if language == "es":
        await reads_spanish(runtime, given.admin)
    await sign_in(page, runtime, given.admin, **(SPANISH if language == "es" else {}))
    seat = f"/manage/committee/seats/{to_global_id('Organization', given.mine.organization.id)}"
    edit = f"/manage/proposals/{to_global_id('Proposal', discussed.id)}/edit"
    for path in (
        "/manage/committee",
        "/manage/committee?q=Seat",
        seat,
        f"{seat}?find=olga",
        "/manage/proposals",
        "/manage/proposals/new",
        edit,
        f"/manage/proposals/{given.global_id}/edit",
    ):
        await page.goto(path)
        await assert_accessible(page, path)
    # With the forms' errors showing
    await page.goto(seat)
    await page.locator("#holderId").select_option(value="")
    await page.get_by_role("button", name=SAVE_SEAT[language]).click()
    await page.locator("[aria-invalid=true]").first.wait_for()
    await assert_accessible(page, "seat with an error")
    await page.goto("/manage/proposals/new")
    await page.get_by_role("button", name=SAVE_DRAFT[language]).click()
    await page.locator("[aria-invalid=true]").first.wait_for()
    await assert_accessible(page, "new proposal with an error")
    await page.goto(edit)
    await page.locator("#quorum").fill("0")
    await page.get_by_role("button", name=OPEN_VOTING[language]).click()
    await page.locator("[aria-invalid=true]").first.wait_for()
    await assert_accessible(page, "open voting with errors")
    await screenshot(page, f"manage-proposal-voting-errors-{language}")


SCHEDULE = {"en": "Schedule the convening", "es": "Programar la convocatoria"}
PREVIEW = {"en": "Preview the dates", "es": "Ver las fechas"}


@pytest.mark.parametrize("language", ["en", "es"])
async def test_the_convening_back_office_passes_axe(
    language: str, phone: Page, phone_es: Page, runtime: Runtime
) -> None:
    page = phone if language == "en" else phone_es
    admin, convening, series = await arrange(runtime, _an_admin_with_a_series)
    if language == "es":
        await reads_spanish(runtime, admin)
    await sign_in(page, runtime, admin, **(SPANISH if language == "es" else {}))
    convening_id = to_global_id("Convening", convening.id)
    paths = [
        "/manage/convenings",
        "/manage/convenings/new",
        f"/manage/convenings/{convening_id}/edit",
        f"/manage/convenings/{convening_id}/cancel",
        "/manage/convenings/repeat",
        "/manage/series",
        f"/manage/series/{to_global_id('ConveningSeries', series.id)}",
    ]
    for path in paths:
        await page.goto(path)
        await assert_accessible(page, path)
    await page.goto("/manage/convenings")
    heading = {"en": "Manage convenings", "es": "Administrar convocatorias"}[language]
    assert await page.get_by_role("heading", level=1).inner_text() == heading
    # With the errors showing, and with the previewed dates
    await page.goto("/manage/convenings/new")
    await page.get_by_role("button", name=SCHEDULE[language]).click()
    await page.locator("[aria-invalid=true]").first.wait_for()
    await assert_accessible(page, "new convening with errors")
    no_host = {
        "en": "Name at least one host organization.",
        "es": "Indique al menos una organización anfitriona.",
    }[language]
    assert await page.locator("#host1-error").inner_text() == no_host
    await screenshot(page, f"manage-convening-errors-{language}")
    await page.goto("/manage/convenings/repeat")
    await page.locator("#f-title").fill("Committee")
    await page.locator("#f-host1").fill("SCOPE")
    await page.locator("#f-startsAt").fill("2031-01-01T10:00")
    await page.locator("#f-endsAt").fill("2031-01-01T12:00")
    await page.locator("#f-virtualUrl").fill("https://meet.example.org/c")
    await page.get_by_role("button", name=PREVIEW[language]).click()
    await page.locator("#preview").wait_for()
    await assert_accessible(page, "repeating convenings previewed")
    await screenshot(page, f"manage-repeating-preview-{language}")


async def _an_admin_with_a_series(session: Any) -> tuple[Any, Any, Any]:
    scope = await create_organization(session, name="SCOPE")
    series = await create_series(session, slug="2011", name="2011")
    convening = await create_convening(session, [scope], series_id=series.id)
    return await create_admin(session), convening, series

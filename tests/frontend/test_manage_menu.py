"""The Manage menu in a browser: an admin and a host contact reach the landing page from the
menu on any page, on a phone and on a desktop, in English and Spanish, with nothing axe calls
serious; a member sees no menu."""

from __future__ import annotations

import pytest
from playwright.async_api import Page

from hub.interfaces.runtime import Runtime
from tests.convenings.factories import create_contact, create_convening, create_member
from tests.factories import create_admin, create_organization
from tests.frontend.conftest import screenshot
from tests.frontend.flows import SPANISH, arrange, reads_spanish, sign_in
from tests.frontend.test_accessibility import assert_accessible

MANAGE = {"en": "Manage", "es": "Gestionar"}


@pytest.mark.parametrize("language", ["en", "es"])
async def test_an_admin_opens_the_back_office_from_the_menu(
    language: str, phone: Page, phone_es: Page, desktop: Page, runtime: Runtime
) -> None:
    async def given(session):
        admin = await create_admin(session)
        await create_convening(session, title="January strategy session")
        return admin

    admin = await arrange(runtime, given)
    if language == "es":
        await reads_spanish(runtime, admin)
    phone_in_language = phone_es if language == "es" else phone
    for page, screen in ((phone_in_language, "phone"), (desktop, "desktop")):
        # Before signing in a page speaks its browser's language; after, the admin's.
        texts = SPANISH if page is phone_es else {}
        await sign_in(page, runtime, admin, **texts)
        await page.goto("/convenings")
        await page.get_by_role("navigation").get_by_role("link", name=MANAGE[language]).click()
        await page.wait_for_url("**/manage")
        await page.get_by_role("heading", name="January strategy session").wait_for()
        await assert_accessible(page, f"/manage ({language}, {screen})")
        await screenshot(page, f"manage-admin-{screen}-{language}")


async def test_a_host_contact_reaches_their_convening_and_a_member_sees_no_menu(
    phone: Page, desktop: Page, runtime: Runtime
) -> None:
    async def given(session):
        scope = await create_organization(session, name="SCOPE")
        contact = await create_contact(session, scope)
        await create_convening(session, hosts=[scope], title="Hosted by SCOPE")
        return contact, await create_member(session)

    contact, member = await arrange(runtime, given)
    await sign_in(phone, runtime, contact)
    await phone.get_by_role("navigation").get_by_role("link", name="Manage").click()
    await phone.get_by_role("heading", name="Hosted by SCOPE").wait_for()
    await screenshot(phone, "manage-host-contact-phone")

    await sign_in(desktop, runtime, member)
    await desktop.goto("/convenings")
    assert await desktop.get_by_role("navigation").get_by_role("link", name="Manage").count() == 0

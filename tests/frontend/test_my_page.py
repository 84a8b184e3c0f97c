"""My page: choosing my language changes the hub's email to me and its pages."""

from __future__ import annotations

from playwright.async_api import Page, expect

from hub.infrastructure.models.directory import Language
from hub.interfaces.graphql.node import to_global_id
from hub.interfaces.runtime import Runtime
from tests.factories import create_person
from tests.frontend.conftest import screenshot
from tests.frontend.flows import arrange, sign_in
from tests.graphql_client import GraphQLClient

LANGUAGE_QUERY = "query ($id: ID!) { node(id: $id) { ... on Person { preferredLanguage } } }"


async def test_choosing_spanish_on_my_page(
    phone: Page, runtime: Runtime, gql: GraphQLClient
) -> None:
    # Given a person who reads English
    person = await arrange(runtime, lambda s: create_person(s, name="Rosa Parra"))
    await sign_in(phone, runtime, person)
    field = phone.get_by_label("Language of the hub's pages and email to you")
    await expect(field).to_have_value("EN")
    # When they choose Spanish and save
    await field.select_option(label="Spanish")
    await phone.get_by_role("button", name="Save my language").click()
    # Then the page answers in Spanish, and says so in Spanish
    await expect(phone.locator("html")).to_have_attribute("lang", "es")
    await expect(phone.locator("#status")).to_have_text(
        "Su idioma quedó guardado: las páginas y los correos del hub lo usan desde ahora."
    )
    spanish_field = phone.get_by_label(
        "Idioma de las páginas del hub y de los correos que le envía"
    )
    await expect(spanish_field).to_have_value("ES")
    await screenshot(phone, "me-es")
    # And the hub stores it for its email, and keeps the pages in Spanish after a reload
    data = await gql.data(LANGUAGE_QUERY, {"id": to_global_id("Person", person.id)}, as_=person)
    assert data["node"]["preferredLanguage"] == Language.ES.name
    await phone.reload()
    await expect(phone.get_by_role("heading", name="Mi idioma")).to_be_visible()

"""Answering a convening: for yourself with needs, for a delegation of two, errors on their
fields, removing a delegate, and the waitlist."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from playwright.async_api import Page, Route, expect

from hub.infrastructure.models import Convening, Person
from hub.infrastructure.models.directory import AffiliationRole
from hub.interfaces.graphql.node import to_global_id
from hub.interfaces.runtime import Runtime
from tests.convenings.factories import create_convening, create_member
from tests.factories import create_organization
from tests.frontend.conftest import screenshot
from tests.frontend.flows import arrange, sign_in
from tests.graphql_client import GraphQLClient

NEEDS_QUERY = """
query ($id: ID!) { node(id: $id) { ... on Convening { rsvps { edges { node {
  status person { name }
  needs { interpretationLanguage accessibility accessibilityNote childcareCount dietary }
} } } } } }
"""


@dataclass
class Delegation:
    contact: Person
    ana: Person
    ben: Person
    convening: Convening

    @property
    def url(self) -> str:
        return f"/convenings/{to_global_id('Convening', self.convening.id)}"


async def a_delegation(runtime: Runtime, **convening: Any) -> Delegation:
    async def create(session: Any) -> Delegation:
        org = await create_organization(session, name="Unidos Fresno")
        contact = await create_member(session, org, AffiliationRole.CONTACT, name="Carla Contact")
        ana = await create_member(session, org, name="Ana Alvarez")
        ben = await create_member(session, org, name="Ben Brooks")
        event = await create_convening(session, hosts=[org], title="Spring strategy", **convening)
        return Delegation(contact, ana, ben, event)

    return await arrange(runtime, create)


async def answer_with_needs(page: Page, form: Any, *, childcare: str, dietary: str) -> None:
    await form.get_by_label("Going", exact=True).check()
    await form.get_by_label("Interpretation into").select_option("es")
    await form.get_by_label("Captioning").check()
    await form.get_by_label("Children needing childcare").fill(childcare)
    await form.get_by_label("Dietary needs").fill(dietary)


async def test_rsvp_with_needs_and_a_delegation_of_two(
    phone: Page, runtime: Runtime, gql: GraphQLClient
) -> None:
    # Given a contact whose organization hosts a convening
    given = await a_delegation(runtime)
    await sign_in(phone, runtime, given.contact)
    await phone.goto(given.url)
    # When they answer for themself with needs
    own = phone.locator("form", has=phone.get_by_role("button", name="Save my answer"))
    await answer_with_needs(phone, own, childcare="2", dietary="Vegetarian")
    await own.get_by_role("button", name="Save my answer").click()
    await expect(phone.locator("#status")).to_have_text("Your answer is saved.")
    # And add two delegates, each with needs
    for name, dietary in (("Ana Alvarez", "No nuts"), ("Ben Brooks", "Halal")):
        add = phone.locator("form", has=phone.get_by_role("button", name="Add to the delegation"))
        await add.get_by_label("Person").select_option(label=name)
        await answer_with_needs(phone, add, childcare="0", dietary=dietary)
        await add.get_by_role("button", name="Add to the delegation").click()
        # (The status reads the same after each delegate: wait for this one's line.)
        await expect(phone.get_by_text(f"{name} · Going")).to_be_visible()
        await expect(phone.locator("#status")).to_have_text("The delegate's answer is saved.")
    # Then after a reload the page shows what was stored
    await phone.reload()
    await expect(phone.locator("#own-answer")).to_contain_text("Going")
    await expect(phone.get_by_label("Children needing childcare").first).to_have_value("2")
    await expect(phone.get_by_label("Dietary needs").first).to_have_value("Vegetarian")
    await expect(phone.get_by_text("Ana Alvarez · Going")).to_be_visible()
    await expect(phone.get_by_text("Ben Brooks · Going")).to_be_visible()
    await screenshot(phone, "convening-en")
    # And so does the API
    data = await gql.data(
        NEEDS_QUERY, {"id": to_global_id("Convening", given.convening.id)}, as_=given.contact
    )
    stored = {
        edge["node"]["person"]["name"]: edge["node"]["needs"]
        for edge in data["node"]["rsvps"]["edges"]
    }
    base = {
        "interpretationLanguage": "es",
        "accessibility": ["CAPTIONING"],
        "accessibilityNote": "",
    }
    assert stored == {
        "Carla Contact": {**base, "childcareCount": 2, "dietary": "Vegetarian"},
        "Ana Alvarez": {**base, "childcareCount": 0, "dietary": "No nuts"},
        "Ben Brooks": {**base, "childcareCount": 0, "dietary": "Halal"},
    }
    # When a delegate is removed
    await phone.get_by_role("button", name="Remove Ben Brooks").click()
    await expect(phone.locator("#status")).to_have_text("The answer is withdrawn.")
    await expect(phone.get_by_text("Ben Brooks · Going")).to_have_count(0)


async def test_errors_show_on_their_fields(phone: Page, runtime: Runtime) -> None:
    given = await a_delegation(runtime, delegate_limit=1)
    await sign_in(phone, runtime, given.contact)
    await phone.goto(given.url)
    own = phone.locator("form", has=phone.get_by_role("button", name="Save my answer"))
    # A missing answer, and a childcare count that is not a number
    await own.get_by_role("button", name="Save my answer").click()
    await expect(phone.locator("#self-status-error")).to_have_text("Fill this in.")
    await own.get_by_label("Going", exact=True).check()
    await own.get_by_label("Children needing childcare").fill("-1")
    await own.get_by_role("button", name="Save my answer").click()
    await expect(phone.locator("#self-childcareCount-error")).to_have_text(
        "Enter a number of children, 0 or more."
    )
    await expect(own.get_by_label("Children needing childcare")).to_have_attribute(
        "aria-invalid", "true"
    )
    await own.get_by_label("Children needing childcare").fill("0")
    await own.get_by_role("button", name="Save my answer").click()
    await expect(phone.locator("#status")).to_have_text("Your answer is saved.")
    # The delegate limit (1, taken by the contact) explained on the person field
    add = phone.locator("form", has=phone.get_by_role("button", name="Add to the delegation"))
    await add.get_by_label("Person").select_option(label="Ana Alvarez")
    await add.get_by_label("Going", exact=True).check()
    await add.get_by_role("button", name="Add to the delegation").click()
    await expect(phone.locator("#delegate-delegate-error")).to_have_text(
        "Your organization has reached its delegate limit for this convening."
    )
    await screenshot(phone, "convening-errors-en")


async def test_the_waitlist_shows_a_position_and_promotes_on_cancel(
    phone: Page, runtime: Runtime
) -> None:
    given = await a_delegation(runtime, capacity=1)
    # Given Ana holds the only place (answered by the contact), the contact answers GOING
    await sign_in(phone, runtime, given.contact)
    await phone.goto(given.url)
    add = phone.locator("form", has=phone.get_by_role("button", name="Add to the delegation"))
    await add.get_by_label("Person").select_option(label="Ana Alvarez")
    await add.get_by_label("Going", exact=True).check()
    await add.get_by_role("button", name="Add to the delegation").click()
    await expect(phone.locator("#status")).to_have_text("The delegate's answer is saved.")
    own = phone.locator("form", has=phone.get_by_role("button", name="Save my answer"))
    await own.get_by_label("Going", exact=True).check()
    await own.get_by_role("button", name="Save my answer").click()
    # Then the contact is told their place in line
    await expect(phone.locator("#status")).to_have_text(
        "The convening is full: you are on the waitlist."
    )
    await expect(phone.locator("#own-answer")).to_contain_text("Waitlist position 1")
    # When Ana's answer is withdrawn, the first in line is promoted
    await phone.get_by_role("button", name="Remove Ana Alvarez").click()
    await expect(phone.locator("#status")).to_have_text("The answer is withdrawn.")
    await phone.reload()
    await expect(phone.locator("#own-answer")).to_have_text("You answered: Going")


async def test_a_double_clicked_button_posts_once(phone: Page, runtime: Runtime) -> None:
    given = await a_delegation(runtime)
    await sign_in(phone, runtime, given.contact)
    await phone.goto(given.url)
    posts: list[str] = []

    async def slow_posts(route: Route) -> None:
        # Held back a moment, so the second click lands while the first answer is on its way
        if route.request.method == "POST":
            posts.append(route.request.url)
            await asyncio.sleep(0.4)
        await route.continue_()

    await phone.route("**/*", slow_posts)
    own = phone.locator("form", has=phone.get_by_role("button", name="Save my answer"))
    await own.get_by_label("Going", exact=True).check()
    # When the button is double-clicked
    await own.get_by_role("button", name="Save my answer").dblclick()
    # Then one answer is posted and announced
    await expect(phone.locator("#status")).to_have_text("Your answer is saved.")
    assert len(posts) == 1
    await expect(phone.locator("#own-answer")).to_contain_text("Going")

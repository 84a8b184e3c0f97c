"""Amendments on the proposal page: a seat's holder proposes one, a sponsor accepts it, and the
text's versions show, the new one current; in Spanish, the sections read in Spanish."""

from __future__ import annotations

from typing import Any

from playwright.async_api import Browser, Page, expect

from hub.infrastructure.models import ProposalSponsor
from hub.interfaces.graphql.node import to_global_id
from hub.interfaces.runtime import Runtime
from tests.convenings.factories import create_member
from tests.factories import create_organization
from tests.frontend.conftest import new_page, phone_context_args, screenshot
from tests.frontend.flows import SPANISH, arrange, reads_spanish, sign_in
from tests.frontend.server import HubServer
from tests.frontend.test_accessibility import assert_accessible
from tests.governance.factories import create_proposal, create_seat


async def test_a_seat_amends_and_a_sponsor_accepts_and_the_versions_show(
    phone: Page, chromium: Browser, hub_server: HubServer, runtime: Runtime
) -> None:
    # Given a proposal in discussion sponsored by SCOPE, a seat (PICO) and a SCOPE person
    async def proposal_with_a_seat(session: Any) -> tuple[str, Any, Any]:
        proposal = await create_proposal(
            session, title="Meeting rhythm", body="## Plan\n\nWe meet yearly."
        )
        scope = await create_organization(session, name="SCOPE")
        session.add(ProposalSponsor(proposal_id=proposal.id, organization_id=scope.id))
        sponsor = await create_member(session, scope, name="Sara Sponsor")
        seated = await create_seat(
            session, organization=await create_organization(session, name="PICO")
        )
        return to_global_id("Proposal", proposal.id), seated.holder, sponsor

    proposal_id, holder, sponsor = await arrange(runtime, proposal_with_a_seat)
    url = f"/proposals/{proposal_id}"

    # When the seat's holder proposes an amendment without a reason, then with one
    await sign_in(phone, runtime, holder)
    await phone.goto(url)
    await phone.get_by_label("The whole new text (Markdown)").fill("## Plan\n\nWe meet quarterly.")
    await phone.get_by_role("button", name="Propose the amendment").click()
    await expect(phone.locator("#amendment-error")).to_have_text("Fill this in.")
    await phone.get_by_label("Why, briefly").fill("Once a year is too rare.")
    await phone.get_by_role("button", name="Propose the amendment").click()
    await expect(phone.locator("#status")).to_have_text(
        "Your amendment is proposed: the sponsors will accept or reject it."
    )
    # Then it is pending, and the holder (no sponsor) may not decide it
    await expect(phone.get_by_role("heading", name="Amendment by PICO · Pending")).to_be_visible()
    await expect(phone.get_by_role("button", name="Accept the amendment")).to_have_count(0)
    await assert_accessible(phone, "a proposal with a pending amendment and the forms")

    # When a person of the sponsoring organization accepts it
    context = await chromium.new_context(
        base_url=hub_server.url, **phone_context_args(locale="es-MX")
    )
    sponsor_page = await new_page(context)
    await reads_spanish(runtime, sponsor)
    await sign_in(sponsor_page, runtime, sponsor, **SPANISH)
    await sponsor_page.goto(url)
    await sponsor_page.get_by_role("button", name="Aceptar la enmienda").click()
    await expect(sponsor_page.locator("#status")).to_have_text(
        "La enmienda está aceptada: ahora es el texto de la propuesta."
    )

    # Then the text is the amended one, and both versions are readable, the second current
    body = sponsor_page.locator("#main > .body")
    await expect(body).to_contain_text("We meet quarterly.")
    await expect(
        sponsor_page.get_by_role("heading", name="Enmienda de PICO · Aceptada")
    ).to_be_visible()
    versions = sponsor_page.locator(".versions > li summary")
    await expect(versions).to_have_count(2)
    await expect(versions.nth(0)).to_contain_text("Versión 2")
    await expect(versions.nth(0)).to_contain_text("de una enmienda aceptada · vigente")
    await versions.nth(1).click()
    await expect(sponsor_page.locator(".versions > li").nth(1)).to_contain_text("We meet yearly.")
    await screenshot(sponsor_page, "proposal-amended-es")
    await assert_accessible(sponsor_page, "an amended proposal, in Spanish")
    await context.close()

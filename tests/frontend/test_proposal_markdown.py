"""A proposal's Markdown in a real browser: headings, lists, links and emphasis show, while a
`<script>`, an `onerror=` handler and a `javascript:` link written into it never run — not
because the Content-Security-Policy refused them (no violation is reported), but because
they never reach the page as markup."""

from __future__ import annotations

from typing import Any

from playwright.async_api import Page, expect

from hub.graphql.node import to_global_id
from hub.models.governance import ProposalStatus
from hub.runtime import Runtime
from tests.frontend.flows import arrange
from tests.governance.factories import create_proposal

HOSTILE = (
    "## Why we act\n\n"
    "- **Equity** first\n- *Care* always\n\n"
    "Read [the plan](https://example.org/plan).\n\n"
    "<script>window.__pwned = 1; document.title = 'pwned'</script>\n\n"
    '<img src="x" onerror="window.__pwned = 2">\n\n'
    "[Click me](javascript:window.__pwned=3)\n\n"
    '<a href="javascript:window.__pwned=4">Or me</a>'
)
# Reported by the browser for anything the policy refuses, before any page script runs.
LISTEN = """
window.violations = [];
document.addEventListener("securitypolicyviolation",
  e => window.violations.push(e.violatedDirective));
"""


async def hostile_markup_was_inert(page: Page, within: str) -> None:
    """Nothing ran, nothing was refused by the policy, and no active markup is in `within`."""
    assert await page.evaluate("window.__pwned === undefined")
    assert await page.evaluate("window.violations") == []
    region = page.locator(within)
    assert await region.locator("script, img, [onerror]").count() == 0
    hrefs = [await a.get_attribute("href") or "" for a in await region.locator("a").all()]
    assert [h for h in hrefs if not h.startswith(("https:", "http:", "mailto:"))] == []


async def test_a_proposal_body_renders_its_markdown_and_runs_nothing(
    phone: Page, runtime: Runtime
) -> None:
    # Given an adopted proposal (public) whose body holds Markdown and hostile markup
    async def adopted(session: Any) -> str:
        proposal = await create_proposal(
            session, title="Adopt the agenda", body=HOSTILE, status=ProposalStatus.ADOPTED
        )
        return to_global_id("Proposal", proposal.id)

    proposal_id = await arrange(runtime, adopted)
    await phone.add_init_script(LISTEN)

    # When anyone opens it
    await phone.goto(f"/proposals/{proposal_id}")

    # Then the heading, the list, the emphasis and the safe link render
    body = phone.locator("#main .body")
    await expect(body.get_by_role("heading", name="Why we act", level=2)).to_be_visible()
    await expect(body.locator("li")).to_have_text(["Equity first", "Care always"])
    await expect(body.locator("li strong")).to_have_text("Equity")
    link = body.get_by_role("link", name="the plan")
    await expect(link).to_have_attribute("href", "https://example.org/plan")
    await expect(link).to_have_attribute("rel", "nofollow noopener")
    # And the hostile markup shows as text and never runs
    await expect(body).to_contain_text("<script>window.__pwned = 1")
    await expect(phone).to_have_title("Adopt the agenda · Coalition Hub")
    await hostile_markup_was_inert(phone, "#main .body")

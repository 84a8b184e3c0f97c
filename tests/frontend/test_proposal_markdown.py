"""A proposal's Markdown in a real browser: headings, lists, links and emphasis show, while a
`<script>`, an `onerror=` handler and a `javascript:` link written into it never run — not
because the Content-Security-Policy refused them (no violation is reported), but because
they never reach the page as markup."""

from __future__ import annotations

from typing import Any

from playwright.async_api import Page, expect

from hub.infrastructure.models.governance import ProposalStatus
from hub.interfaces.graphql.node import to_global_id
from hub.interfaces.runtime import Runtime
from tests.convenings.factories import create_member
from tests.frontend.flows import arrange, sign_in
from tests.frontend.test_accessibility import assert_accessible
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


async def test_a_member_comments_and_replies_and_a_hostile_comment_runs_nothing(
    phone: Page, runtime: Runtime
) -> None:
    # Given a proposal in discussion and a member of a member organization
    async def discussed(session: Any) -> tuple[str, Any]:
        proposal = await create_proposal(
            session, title="A common agenda", body="## Why\n\n- one\n- two"
        )
        member = await create_member(session, name="Ana Member")
        return to_global_id("Proposal", proposal.id), member

    proposal_id, member = await arrange(runtime, discussed)
    await sign_in(phone, runtime, member)
    await phone.add_init_script(LISTEN)
    await phone.goto(f"/proposals/{proposal_id}")
    await expect(phone.get_by_role("heading", name="Discussion")).to_be_visible()
    await expect(phone.get_by_text("No comments yet.")).to_be_visible()

    # When they post an empty comment, then a hostile one, then reply to it
    await phone.get_by_role("button", name="Post the comment").click()
    await expect(phone.locator("#comment-error")).to_have_text("Fill this in.")
    await phone.get_by_label("Your comment (Markdown)").fill(HOSTILE)
    await phone.get_by_role("button", name="Post the comment").click()
    await expect(phone.locator("#status")).to_have_text("Your comment is posted.")
    await phone.get_by_text("Reply", exact=True).click()
    await phone.get_by_label("Your reply").fill("*Seconded.*")
    await phone.get_by_role("button", name="Post the reply").click()
    await expect(phone.locator("#status")).to_have_text("Your comment is posted.")

    # Then the comment's Markdown renders, its hostile markup runs nothing, and the reply
    # sits in its thread
    comment = phone.locator(".thread > .comment").first
    await expect(comment.get_by_role("heading", name="Why we act")).to_be_visible()
    await expect(comment.locator(".comment-body li")).to_have_text(["Equity first", "Care always"])
    await expect(phone.locator(".replies .comment-body em")).to_have_text("Seconded.")
    await expect(phone).to_have_title("A common agenda · Coalition Hub")
    await hostile_markup_was_inert(phone, "#main")
    await assert_accessible(phone, "a discussed proposal")

    # When they edit the reply
    await phone.locator(".replies").get_by_text("Edit", exact=True).click()
    await phone.locator(".replies").get_by_label("Your comment").fill("*Seconded, gladly.*")
    await phone.get_by_role("button", name="Save the comment").click()
    await expect(phone.locator("#status")).to_have_text("Your comment is changed.")
    await expect(phone.locator(".replies .comment-body em")).to_have_text("Seconded, gladly.")
    await expect(phone.locator(".replies .meta")).to_contain_text("edited")

    # When they withdraw the reply (the second of their comments' withdraw buttons)
    await phone.get_by_role("button", name="Withdraw my comment").nth(1).click()
    # Then it stays in the thread as withdrawn
    await expect(phone.locator(".replies .withdrawn")).to_have_text("Withdrawn by its author.")
    await expect(phone.locator(".replies .comment-body")).to_have_count(0)
    await hostile_markup_was_inert(phone, "#main")

"""The committee's back office in a browser: after the January strategy session, an admin seats
the committee (one bad pick refused beside its field, one seat vacated), writes the three
proposals that came out of the session, opens a vote on one (bad terms refused, nothing
written), the seats vote on the proposal's page, the admin closes it early and the results
show. Screenshots of every page on a phone and a desktop."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.async_api import Browser, Page, expect
from sqlalchemy import func, select

from hub.infrastructure.models import CommitteeSeat, Organization, Person, Proposal
from hub.infrastructure.models.governance import ProposalStatus
from hub.interfaces.runtime import Runtime
from tests.convenings.factories import create_convening, create_member, create_series
from tests.factories import create_admin, create_organization
from tests.frontend.backoffice import committee_steps as steps
from tests.frontend.conftest import PHONE, new_page, phone_context_args, screenshot
from tests.frontend.flows import arrange, sign_in
from tests.frontend.server import HubServer

SESSION = "January strategy session"
PROPOSALS = [
    ("Fund two youth organizers", "Two **paid** positions for 2011.", ["SCOPE"]),
    ("Join the Fair Budget campaign", "We sign on to the *state* campaign.", ["SCOPE", "CHIRLA"]),
    ("Hold quarterly committee meetings", "Every three months.", ["Oakland Rising"]),
]


@dataclass
class Alliance:
    admin: Person
    organizations: dict[str, Organization]
    people: dict[str, list[Person]]  # by organization: two of its people each
    outsider: Person  # of no seated organization


ORGANIZATIONS = ("SCOPE", "CHIRLA", "Oakland Rising", "Causa Justa")


async def an_alliance_after_the_january_session(runtime: Runtime) -> Alliance:
    async def create(session: Any) -> Alliance:
        admin = await create_admin(session, name="Alma Admin")
        organizations = {
            name: await create_organization(session, name=name) for name in ORGANIZATIONS
        }
        people = {
            name: [
                await create_member(session, organizations[name], name=f"{name} {role}")
                for role in ("Holder", "Alternate")
            ]
            for name in ORGANIZATIONS
        }
        outsider = await create_member(
            session, await create_organization(session, name="Ally Org"), name="Olga Outsider"
        )
        series = await create_series(session, name="2011")
        january = datetime(datetime.now(UTC).year + 1, 1, 20, 18, tzinfo=UTC)
        await create_convening(
            session,
            [organizations["SCOPE"]],
            title=SESSION,
            series_id=series.id,
            starts_at=january,
        )
        return Alliance(admin, organizations, people, outsider)

    return await arrange(runtime, create)


@pytest.fixture
async def phone_without_js(chromium: Browser, hub_server: HubServer) -> AsyncIterator[Page]:
    context = await chromium.new_context(
        base_url=hub_server.url, java_script_enabled=False, **phone_context_args()
    )
    yield await new_page(context)
    await context.close()


async def both_screens(phone: Page, desktop: Page, path: str, name: str) -> None:
    """The page as the phone shows it now, and the same address on the desktop."""
    await screenshot(phone, f"{name}-phone")
    await desktop.goto(path)
    await screenshot(desktop, f"{name}-desktop")


async def counts(runtime: Runtime) -> tuple[int, int, list[ProposalStatus]]:
    async with runtime.sessions() as session:
        proposals = await session.scalar(select(func.count()).select_from(Proposal))
        held = await session.scalar(select(func.count()).where(CommitteeSeat.active))
        statuses = list(await session.scalars(select(Proposal.status).order_by(Proposal.id)))
        await session.rollback()
    return int(proposals or 0), int(held or 0), statuses


async def test_an_admin_seats_the_committee_runs_a_vote_and_the_results_show(
    phone: Page, desktop: Page, chromium: Browser, hub_server: HubServer, runtime: Runtime
) -> None:
    given = await an_alliance_after_the_january_session(runtime)
    await sign_in(phone, runtime, given.admin)
    await sign_in(desktop, runtime, given.admin)

    # When the admin seats four organizations, each with its holder and alternate
    for name in ORGANIZATIONS:
        holder, alternate = given.people[name]
        await steps.assign_seat(phone, name, holder.name, alternate.name)
        await expect(phone.locator("#status")).to_have_text("The seat is saved.")
    # And tries to seat someone of another organization as SCOPE's holder
    await steps.open_seat(phone, "SCOPE")
    await phone.get_by_label("Find someone else by name").fill("olga")
    await phone.get_by_role("button", name="Find people").click()
    await phone.get_by_label("Holder").select_option(label="Olga Outsider (Ally Org)")
    await phone.get_by_role("button", name="Save the seat").click()
    # Then the refusal shows beside the holder's field, and SCOPE's seat is unchanged
    await expect(phone.locator("#holderId-error")).to_have_text(
        "A seat is held by a person of its own organization."
    )
    await expect(phone.get_by_label("Holder")).to_have_attribute("aria-invalid", "true")
    await both_screens(phone, desktop, phone.url, "manage-seat-error")
    # When the admin vacates Causa Justa's seat
    await steps.vacate_seat(phone, "Causa Justa")
    # Then three seats are held, as assigned, and Causa Justa's shows among the vacated
    assert await steps.roster(phone) == [
        ["CHIRLA", "CHIRLA Holder", "CHIRLA Alternate"],
        ["Oakland Rising", "Oakland Rising Holder", "Oakland Rising Alternate"],
        ["SCOPE", "SCOPE Holder", "SCOPE Alternate"],
    ]
    await expect(phone.locator("#vacated")).to_contain_text("Causa Justa")
    await both_screens(phone, desktop, "/manage/committee", "manage-committee")
    await steps.open_seat(phone, "SCOPE")
    await both_screens(phone, desktop, phone.url, "manage-seat")

    # When the admin sends the new-proposal form without a title
    await phone.goto("/manage/proposals/new")
    await phone.get_by_label("Text (Markdown)").fill("No title yet.")
    await phone.get_by_role("button", name="Save the draft").click()
    # Then the title's error shows, what was typed stays, and nothing is written
    await expect(phone.locator("#title-error")).to_have_text("Fill this in.")
    await expect(phone.get_by_label("Text (Markdown)")).to_have_value("No title yet.")
    assert (await counts(runtime))[0] == 0
    await both_screens(phone, desktop, "/manage/proposals/new", "manage-proposal-new")

    # When the admin writes the session's three proposals
    for title, body, sponsors in PROPOSALS:
        await steps.create_proposal(phone, title, body, sponsors, SESSION)
    await both_screens(phone, desktop, phone.url, "manage-proposal-edit-draft")
    # Then they are drafts, with their sponsors and origin
    assert await counts(runtime) == (3, 3, [ProposalStatus.DRAFT] * 3)
    first = PROPOSALS[1][0]
    await steps.manage_proposal(phone, first)
    chosen = phone.get_by_label("Sponsors (choose one or more organizations)")
    assert await chosen.locator("option:checked").all_inner_texts() == ["CHIRLA", "SCOPE"]
    await expect(
        phone.get_by_label("Came out of (convening)").locator("option:checked")
    ).to_contain_text(SESSION)

    # When the admin opens it for discussion and tries to open voting with bad terms
    await steps.move_proposal(phone, first)
    await expect(phone.locator("#status")).to_have_text("The proposal is open for discussion.")
    zone = ZoneInfo(runtime.settings.time_zone)
    yesterday = datetime.now(zone) - timedelta(days=1)
    await steps.open_voting(phone, first, yesterday, quorum="150")
    await expect(phone.locator("#quorum-error")).to_have_text(
        "Give the quorum as a percentage of the seats, above 0 and at most 100."
    )
    await steps.open_voting(phone, first, yesterday, quorum="50")
    await expect(phone.locator("#closesAt-error")).to_have_text("Choose a close in the future.")
    tomorrow = datetime.now(zone) + timedelta(days=1)
    await steps.open_voting(phone, first, tomorrow, opens_at=tomorrow + timedelta(hours=2))
    await expect(phone.locator("#closesAt-error")).to_have_text(
        "Voting must close after it opens: choose a later close."
    )
    await both_screens(phone, desktop, phone.url, "manage-proposal-edit-discussion")
    # Then nothing opened
    assert (await counts(runtime))[2][1] is ProposalStatus.DISCUSSION
    # When the admin opens voting until three days from now
    await steps.open_voting(phone, first, datetime.now(zone) + timedelta(days=3))
    await expect(phone.locator("#status")).to_have_text("Voting is open.")
    # Then the text is frozen: no edit form, a clear word why
    await expect(phone.locator("#frozen")).to_have_text(
        "Voting has opened on this proposal: its text, sponsors and origin can no longer change."
    )
    await expect(phone.get_by_label("Title")).to_have_count(0)
    await both_screens(phone, desktop, phone.url, "manage-proposal-edit-voting")
    proposal_url = phone.url.removesuffix("/edit").replace("/manage", "")

    # When two of the three seats vote YES on the proposal's page
    for name in ("SCOPE", "CHIRLA"):
        context = await chromium.new_context(base_url=hub_server.url, viewport=PHONE)
        voter = await new_page(context)
        await sign_in(voter, runtime, given.people[name][0])
        await steps.cast_vote(voter, proposal_url, name, "Yes")
        await context.close()
    # And the admin closes voting early
    await steps.close_voting(phone, first)
    # Then the results show on the proposal's page: adopted, two of three seats voting
    await steps.see_results(phone)
    await expect(phone.locator(".outcome")).to_have_text("Adopted")
    await expect(
        phone.get_by_text("2 of 3 seats voted; quorum is 2. Quorum was met.")
    ).to_be_visible()
    assert (await counts(runtime))[2] == [
        ProposalStatus.DRAFT,
        ProposalStatus.ADOPTED,
        ProposalStatus.DRAFT,
    ]
    await phone.goto("/manage/proposals")
    await both_screens(phone, desktop, "/manage/proposals", "manage-proposals")


async def test_without_javascript_the_admin_reseats_a_vacated_seat_and_runs_a_vote(
    phone_without_js: Page, runtime: Runtime
) -> None:
    page = phone_without_js
    given = await an_alliance_after_the_january_session(runtime)
    await sign_in(page, runtime, given.admin)
    scope_holder, scope_alternate = given.people["SCOPE"]
    chirla_holder, _ = given.people["CHIRLA"]
    # Seat SCOPE, vacate it, and seat it again with its holder alone; seat CHIRLA
    await steps.assign_seat(page, "SCOPE", scope_holder.name, scope_alternate.name)
    await steps.vacate_seat(page, "SCOPE")
    await expect(page.locator("#vacated")).to_contain_text("SCOPE")
    await steps.assign_seat(page, "SCOPE", scope_alternate.name)
    await steps.assign_seat(page, "CHIRLA", chirla_holder.name)
    assert await steps.roster(page) == [
        ["CHIRLA", "CHIRLA Holder", "—"],
        ["SCOPE", "SCOPE Alternate", "—"],
    ]
    await expect(page.locator("#vacated")).to_have_count(0)
    # Write a proposal, discuss it, open a secret vote and close it early
    title = "Hold quarterly committee meetings"
    await steps.create_proposal(page, title, "Every three months.", ["SCOPE"], SESSION)
    await steps.move_proposal(page, title)
    closes = datetime.now(ZoneInfo(runtime.settings.time_zone)) + timedelta(days=1)
    await steps.open_voting(
        page, title, closes, ballot="Secret: no one sees how a seat voted", rule="Two thirds"
    )
    await expect(page.locator("#status")).to_have_text("Voting is open.")
    await expect(page.locator("#voting-window")).to_contain_text("Two thirds · Secret ballot")
    await steps.close_voting(page, title)
    await steps.see_results(page)
    # Nobody voted: the quorum was not met and the proposal is rejected
    await expect(page.locator(".outcome")).to_have_text("Rejected")
    assert (await counts(runtime))[1:] == (2, [ProposalStatus.REJECTED])

"""The issue's meeting: 17 seats, 9 present by check-in and 2 represented by proxy, so quorum
is over 11; a vote taken in the meeting, its outcome computed by hand; the projector showing
turnout as votes arrive (no choices while open) and, without a reload, the result, the chart
and a roll call that names the proxy's vote."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from playwright.async_api import Page, expect

from hub.domains.governance import meetings
from hub.infrastructure.models import Convening, Person, Proposal
from hub.interfaces.graphql.node import to_global_id
from hub.interfaces.runtime import Runtime
from tests.factories import create_admin, create_organization
from tests.frontend.flows import arrange, sign_in
from tests.frontend.over_http import plain, sign_in_over_http
from tests.frontend.test_accessibility import serious_violations
from tests.governance.factories import (
    SeatedOrganization,
    admin_viewer,
    create_proposal,
    create_seat,
)
from tests.governance.meeting_factories import check_in_at, create_meeting, give_proxy
from tests.graphql_client import GraphQLClient

OPEN = """
mutation ($input: OpenVotingInput!) {
  openVoting(input: $input) { proposal { meeting { id } } errors { code } }
}
"""
CAST = """
mutation ($input: CastVoteInput!) { castVote(input: $input) { vote { castAs } errors { code } } }
"""
CLOSE = """
mutation ($id: ID!) { closeVoting(input: {proposalId: $id}) {
  proposal { tally { seatsEligible seatsVoted quorumThreshold quorumMet yes no abstain outcome } }
  errors { code }
} }
"""
# The present seats' holders' choices (one present seat does not vote), then the proxies'.
PRESENT_CHOICES = ["YES"] * 5 + ["NO"] * 2 + ["ABSTAIN"]
PROXY_CHOICES = ["YES", "NO"]
QUORUM = 0.5


@dataclass
class Meeting:
    admin: Person
    meeting: Convening
    proposal: Proposal
    present: list[SeatedOrganization]
    proxied: list[SeatedOrganization]

    @property
    def url(self) -> str:
        return f"/convenings/{to_global_id('Convening', self.meeting.id)}/projector"

    @property
    def proposal_id(self) -> str:
        return str(to_global_id("Proposal", self.proposal.id))


async def a_meeting_of_17_seats(runtime: Runtime) -> Meeting:
    async def arrange_it(session) -> Meeting:
        admin = await create_admin(session)
        seats = [
            await create_seat(
                session, organization=await create_organization(session, name=f"Seat {n:02d}")
            )
            for n in range(1, 18)
        ]
        meeting = await create_meeting(session)
        present, proxied = seats[:9], seats[9:11]
        for seated in present:
            await check_in_at(session, meeting, seated.holder, admin)
        for giving, carrier in zip(proxied, present[:2], strict=True):
            await give_proxy(session, giving, carrier, meeting=meeting)
        proposal = await create_proposal(session, title="A common long-term agenda")
        await meetings.set_agenda(
            session, admin_viewer(admin), meeting.id, [proposal.id], now=datetime.now(UTC)
        )
        return Meeting(admin, meeting, proposal, present, proxied)

    return await arrange(runtime, arrange_it)


async def test_the_projector_follows_a_vote_taken_in_the_meeting(
    phone: Page, runtime: Runtime, gql: GraphQLClient
) -> None:
    given = await a_meeting_of_17_seats(runtime)
    closes = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    opening = {
        "proposalId": given.proposal_id,
        "rule": "MAJORITY",
        "quorum": QUORUM,
        "ballot": "RECORDED",
        "closesAt": closes,
        "meetingId": str(to_global_id("Convening", given.meeting.id)),
    }
    opened = await gql.data(OPEN, {"input": opening}, as_=given.admin)
    assert opened["openVoting"]["errors"] == []

    # The chair's screen: 9 present + 2 by proxy = 11 of 17; nobody has voted yet
    await sign_in(phone, runtime, given.admin)
    await phone.goto(given.url.removesuffix("/projector"))
    await phone.get_by_role("link", name="The meeting's projector").click()
    await phone.wait_for_url(f"**{given.url}")
    live = phone.locator("#projector-live")
    await expect(live.locator(".room")).to_have_text(
        "In the room: 9 seats present and 2 represented by proxy, 11 of 17 seats."
    )
    await expect(live.locator(".turnout")).to_have_text("Turnout: 0 of 11 seats have voted.")
    await expect(live.locator(".quorum")).to_have_text("Quorum not met yet: 6 seats must vote.")
    await phone.evaluate("window.notReloaded = true")

    # When the present seats' holders and the two proxies vote
    for seated, choice in zip(given.present, PRESENT_CHOICES, strict=False):
        cast = {"proposalId": given.proposal_id, "choice": choice}
        assert (await gql.data(CAST, {"input": cast}, as_=seated.holder))["castVote"][
            "errors"
        ] == []
    for giving, carrier, choice in zip(
        given.proxied, given.present[:2], PROXY_CHOICES, strict=True
    ):
        seat = str(to_global_id("CommitteeSeat", giving.seat.id))
        cast = {"proposalId": given.proposal_id, "choice": choice, "seatId": seat}
        cast["reason"] = f"For {giving.organization.name}, as agreed"
        answer = (await gql.data(CAST, {"input": cast}, as_=carrier.holder))["castVote"]
        assert answer == {"vote": {"castAs": "PROXY"}, "errors": []}

    # Then the projector shows the turnout, without a reload and without any choice
    await expect(live.locator(".turnout")).to_have_text("Turnout: 10 of 11 seats have voted.")
    await expect(live.locator(".quorum")).to_have_text("Quorum met (6 seats).")
    assert await live.locator("svg, table, .outcome").count() == 0
    assert await phone.evaluate("window.notReloaded") is True

    # When the chair closes the vote: the outcome, computed by hand
    closed = (await gql.data(CLOSE, {"id": given.proposal_id}, as_=given.admin))["closeVoting"]
    yes = PRESENT_CHOICES.count("YES") + PROXY_CHOICES.count("YES")
    no = PRESENT_CHOICES.count("NO") + PROXY_CHOICES.count("NO")
    voted = len(PRESENT_CHOICES) + len(PROXY_CHOICES)
    threshold = math.ceil(QUORUM * 11)
    assert closed["proposal"]["tally"] == {
        "seatsEligible": 11,
        "seatsVoted": voted,
        "quorumThreshold": threshold,
        "quorumMet": voted >= threshold,
        "yes": yes,
        "no": no,
        "abstain": 1,
        "outcome": "ADOPTED" if yes > no else "REJECTED",
    }
    assert (yes, no, voted, threshold) == (6, 3, 10, 6)

    # Then the projector shows the result, the chart and the roll call naming the proxy
    await expect(live.locator(".outcome")).to_have_text("Adopted")
    await expect(live.locator("svg.chart text")).to_have_text(
        ["Yes", "6", "No", "3", "Abstain", "1"]
    )
    rows = live.locator("table.roll-call tbody tr")
    await expect(rows).to_have_count(10)
    first_proxy, carrier = given.proxied[0], given.present[0]
    proxy_row = rows.filter(has=phone.get_by_role("rowheader", name=first_proxy.organization.name))
    await expect(proxy_row.locator("td")).to_have_text(
        ["Yes", f"Proxy ({carrier.holder.name})", "For Seat 10, as agreed"]
    )
    holder_row = rows.filter(has=phone.get_by_role("rowheader", name="Seat 01"))
    await expect(holder_row.locator("td")).to_have_text(
        ["Yes", f"Holder ({carrier.holder.name})", ""]
    )
    assert await phone.evaluate("window.notReloaded") is True

    # The live part is a small uncached fragment; without a script the page refreshes itself
    fragment = await phone.request.get(f"{given.url}/live")
    assert fragment.headers["cache-control"] == "no-store"
    assert "<html" not in await fragment.text()
    whole = await (await phone.request.get(given.url)).text()
    assert '<noscript><meta http-equiv="refresh" content="9"></noscript>' in whole

    # And in Spanish
    await phone.goto(f"/language?lang=es&next={given.url}")
    await expect(phone.locator("#projector-live .room")).to_have_text(
        "En la sala: 9 puestos presentes y 2 representados por poder, 11 de 17 puestos."
    )
    await expect(phone.locator("#projector-live .outcome")).to_have_text("Aprobada")
    assert await serious_violations(phone) == []


async def test_a_secret_ballot_on_the_projector_shows_turnout_then_counts_and_no_roll_call(
    http, runtime: Runtime, gql: GraphQLClient
) -> None:
    # Given a secret ballot in a meeting of three seats, all present, two of which voted
    async def arrange_it(session):
        admin = await create_admin(session)
        seats = [await create_seat(session) for _ in range(3)]
        meeting = await create_meeting(session)
        for seated in seats:
            await check_in_at(session, meeting, seated.holder, admin)
        proposal = await create_proposal(session)
        await meetings.set_agenda(
            session, admin_viewer(admin), meeting.id, [proposal.id], now=datetime.now(UTC)
        )
        return Meeting(admin, meeting, proposal, seats, [])

    given = await arrange(runtime, arrange_it)
    opening = {
        "proposalId": given.proposal_id,
        "rule": "MAJORITY",
        "quorum": QUORUM,
        "ballot": "SECRET",
        "closesAt": (datetime.now(UTC) + timedelta(hours=1)).isoformat(),
        "meetingId": str(to_global_id("Convening", given.meeting.id)),
    }
    assert (await gql.data(OPEN, {"input": opening}, as_=given.admin))["openVoting"]["errors"] == []
    for seated, choice in zip(given.present[:2], ("YES", "NO"), strict=True):
        cast = {"proposalId": given.proposal_id, "choice": choice}
        assert (await gql.data(CAST, {"input": cast}, as_=seated.holder))["castVote"][
            "errors"
        ] == []
    await sign_in_over_http(http, runtime, given.admin)

    # While open: the turnout, no choice, no count by choice
    raw = (await http.get(f"{given.url}/live")).text
    live = plain(raw)
    assert "Turnout: 2 of 3 seats have voted." in live
    assert {"Yes", "No"} & set(live.replace(".", " ").split()) == set()
    assert "<svg" not in raw and "Roll call" not in live

    # After the close: the counts and the chart, and still no seat's choice
    await gql.data(CLOSE, {"id": given.proposal_id}, as_=given.admin)
    closed = (await http.get(f"{given.url}/live")).text
    assert "Rejected" in plain(closed)  # 1 YES against 1 NO is no majority
    assert "roll-call" not in closed

"""Proposals and votes: the radio group for a seat's holder or alternate, changing the vote
(one stored), no controls and a refused mutation without a seat, no tallies while voting is
open, the chart and table after the close, and a secret ballot that shows no seat's choice."""

from __future__ import annotations

from playwright.async_api import Page, expect

from hub.infrastructure.models.governance import Ballot, VoteChoice, VotingRule
from hub.interfaces.runtime import Runtime
from tests.frontend.committee import an_open_vote, close, stored_votes
from tests.frontend.conftest import screenshot
from tests.frontend.flows import SPANISH, reads_spanish, sign_in
from tests.graphql_client import GraphQLClient

TALLY_QUERY = """
query ($id: ID!) { node(id: $id) { ... on Proposal {
  status tally { final seatsVoted yes no abstain block outcome }
  votes { choice seat { organization { name } } }
} } }
"""
CAST_VOTE = """
mutation ($input: CastVoteInput!) { castVote(input: $input) {
  vote { id } errors { field code }
} }
"""


async def results_shown(page: Page) -> list[list[str]]:
    """The results table's rows, and the chart's labels and counts, as text."""
    rows = page.locator("#main table:not(.roll-call) tbody tr")
    table = [
        [await cell.inner_text() for cell in await row.locator("th, td").all()]
        for row in await rows.all()
    ]
    chart = [await text.text_content() or "" for text in await page.locator("svg text").all()]
    return [*table, chart]


async def test_a_holder_votes_changes_the_vote_and_sees_the_results(
    phone: Page, runtime: Runtime, gql: GraphQLClient
) -> None:
    # Given an open CONSENSUS vote on which two other seats voted YES and BLOCK
    given = await an_open_vote(runtime)
    await sign_in(phone, runtime, given.mine.holder)
    await phone.goto(given.url)
    # Then the holder sees a labelled radio group, and that the seat has not voted
    await expect(phone.get_by_role("heading", name="Your seat's vote")).to_be_visible()
    group = phone.get_by_role("group", name="Your choice for Seat organization 1")
    for choice in ("Yes", "No", "Abstain", "Block"):
        await expect(group.get_by_label(choice, exact=True)).not_to_be_checked()
    await expect(phone.locator("#seat-vote")).to_have_text("Your seat has not voted yet.")
    # And no tally while voting is open
    await expect(phone.get_by_role("heading", name="Results")).to_have_count(0)
    assert await phone.locator("svg, table").count() == 0
    # When they vote YES, then change it to NO
    await group.get_by_label("Yes", exact=True).check()
    await phone.get_by_role("button", name="Cast the vote").click()
    await expect(phone.locator("#status")).to_have_text(
        "Your seat's vote is saved. You may change it until voting closes."
    )
    await expect(phone.locator("#seat-vote")).to_have_text("Your seat voted: Yes")
    await phone.get_by_label("No", exact=True).check()
    await phone.get_by_label(
        "Your reason (optional, shown with the votes once voting closes)"
    ).fill("Not before the budget is known.")
    await phone.get_by_role("button", name="Change the vote").click()
    await expect(phone.locator("#seat-vote")).to_have_text("Your seat voted: No")
    await screenshot(phone, "proposal-voting-en")
    # Then exactly one vote is stored for the seat, the last one
    votes = await stored_votes(runtime, given)
    assert [vote for vote in votes if vote[0] == given.mine.seat.id] == [
        (given.mine.seat.id, VoteChoice.NO)
    ]
    assert len(votes) == 3
    # When voting closes
    await close(runtime, given)
    await phone.reload()
    # Then the chart and the table show the exact counts, with quorum, rule and outcome
    await expect(phone.get_by_role("heading", name="Results")).to_be_visible()
    assert await results_shown(phone) == [
        ["Yes", "1"],
        ["No", "1"],
        ["Abstain", "0"],
        ["Block", "1"],
        ["Yes", "1", "No", "1", "Abstain", "0", "Block", "1"],
    ]
    await expect(phone.locator(".outcome")).to_have_text("Rejected")
    # And the roll call lists each seat's choice, with the reason given
    roll_call = [
        [await cell.inner_text() for cell in await row.locator("th, td").all()]
        for row in await phone.locator(".roll-call tbody tr").all()
    ]
    assert roll_call == [
        ["Seat organization 1", "No", "Not before the budget is known."],
        ["Seat organization 2", "Yes", ""],
        ["Seat organization 3", "Block", ""],
    ]
    quorum = "3 of 4 seats voted; quorum is 2. Quorum was met."
    await expect(phone.get_by_text(quorum)).to_be_visible()
    await expect(phone.locator(".block")).to_have_text(
        "Blocked by 1 seat: under consensus, a block stops adoption."
    )
    await expect(phone.locator("dl")).to_contain_text("Consensus · Recorded ballot")
    await expect(phone.get_by_role("group")).to_have_count(0)
    await screenshot(phone, "proposal-results-en")
    # And the API answers the same numbers
    data = await gql.data(TALLY_QUERY, {"id": given.global_id}, as_=given.outsider)
    assert data["node"]["tally"] == {
        "final": True,
        "seatsVoted": 3,
        "yes": 1,
        "no": 1,
        "abstain": 0,
        "block": 1,
        "outcome": "REJECTED",
    }


async def test_someone_without_a_seat_sees_no_controls_and_is_refused(
    phone: Page, runtime: Runtime, gql: GraphQLClient
) -> None:
    given = await an_open_vote(runtime)
    await sign_in(phone, runtime, given.outsider)
    await phone.goto(given.url)
    await expect(phone.get_by_role("heading", level=1)).to_have_text("Adopt the 2027 platform")
    await expect(phone.get_by_role("heading", name="Your seat's vote")).to_have_count(0)
    assert await phone.locator("form[action$='/vote'], input[type=radio]").count() == 0
    # No page and no GraphQL answer shows a tally while voting is open
    assert await phone.locator("svg, table").count() == 0
    data = await gql.data(TALLY_QUERY, {"id": given.global_id}, as_=given.outsider)
    assert data["node"]["tally"] == {
        "final": False,
        "seatsVoted": 2,
        "yes": None,
        "no": None,
        "abstain": None,
        "block": None,
        "outcome": None,
    }
    assert data["node"]["votes"] == []
    # When they call castVote with their own token, it is refused and nothing changes
    before = await stored_votes(runtime, given)
    body = await gql(
        CAST_VOTE, {"input": {"proposalId": given.global_id, "choice": "YES"}}, as_=given.outsider
    )
    assert body == {
        "data": {"castVote": {"vote": None, "errors": [{"field": None, "code": "NOT_ELIGIBLE"}]}}
    }
    assert await stored_votes(runtime, given) == before


async def test_a_secret_ballot_shows_no_seat_s_choice(
    phone: Page, runtime: Runtime, gql: GraphQLClient
) -> None:
    # Given a SECRET MAJORITY ballot on which one other seat voted NO
    given = await an_open_vote(
        runtime, rule=VotingRule.MAJORITY, ballot=Ballot.SECRET, others=(VoteChoice.NO,)
    )
    await sign_in(phone, runtime, given.mine.holder)
    await phone.goto(given.url)
    group = phone.get_by_role("group", name="Your choice for Seat organization 1")
    await expect(group.get_by_label("Block", exact=True)).to_have_count(0)
    # When the holder votes YES
    await group.get_by_label("Yes", exact=True).check()
    await phone.get_by_role("button", name="Cast the vote").click()
    # Then the page says the seat voted, but not how, and checks no choice
    await expect(phone.locator("#seat-vote")).to_have_text(
        "Your seat has voted. The ballot is secret, so the choice is not shown."
    )
    assert await phone.locator("input[type=radio]:checked").count() == 0
    # And nobody, not even an admin, reads counts while it is open
    for viewer in (given.admin, given.mine.holder):
        data = await gql.data(TALLY_QUERY, {"id": given.global_id}, as_=viewer)
        tally = data["node"]["tally"]
        assert (tally["yes"], tally["no"], tally["abstain"], tally["block"]) == (None,) * 4
        assert {vote["choice"] for vote in data["node"]["votes"]} == {None}
    # When voting closes, the counts show and still no seat's choice
    await close(runtime, given)
    await phone.reload()
    assert await results_shown(phone) == [
        ["Yes", "1"],
        ["No", "1"],
        ["Abstain", "0"],
        ["Yes", "1", "No", "1", "Abstain", "0"],
    ]
    text = await phone.locator("body").inner_text()
    assert "Your seat voted" not in text
    for seated in given.committee:
        assert seated.organization.name not in await phone.content()
    await screenshot(phone, "proposal-secret-en")


async def test_an_alternate_votes_in_spanish(phone_es: Page, runtime: Runtime) -> None:
    # Given an open CONSENSUS vote, the seat's alternate signs in, in Spanish
    given = await an_open_vote(runtime)
    await reads_spanish(runtime, given.mine.alternate)
    await sign_in(phone_es, runtime, given.mine.alternate, **SPANISH)
    await phone_es.goto(given.url)
    await expect(phone_es.get_by_role("heading", name="El voto de su puesto")).to_be_visible()
    group = phone_es.get_by_role("group", name="Su elección por Seat organization 1")
    for choice in ("Sí", "No", "Abstención", "Bloqueo"):
        await expect(group.get_by_label(choice, exact=True)).to_be_visible()
    # When they vote BLOCK, then change it to ABSTAIN
    await group.get_by_label("Bloqueo", exact=True).check()
    await phone_es.get_by_role("button", name="Votar").click()
    await expect(phone_es.locator("#status")).to_have_text(
        "El voto de su puesto quedó guardado. Puede cambiarlo hasta que cierre la votación."
    )
    await phone_es.get_by_label("Abstención", exact=True).check()
    await phone_es.get_by_role("button", name="Cambiar el voto").click()
    await expect(phone_es.locator("#seat-vote")).to_have_text("Su puesto votó: Abstención")
    assert [v for v in await stored_votes(runtime, given) if v[0] == given.mine.seat.id] == [
        (given.mine.seat.id, VoteChoice.ABSTAIN)
    ]
    await screenshot(phone_es, "proposal-voting-es")
    # When voting closes, the results are in Spanish with the exact counts
    await close(runtime, given)
    await phone_es.reload()
    assert await results_shown(phone_es) == [
        ["Sí", "1"],
        ["No", "0"],
        ["Abstención", "1"],
        ["Bloqueo", "1"],
        ["Sí", "1", "No", "0", "Abstención", "1", "Bloqueo", "1"],
    ]
    await expect(phone_es.locator(".outcome")).to_have_text("Rechazada")
    await expect(phone_es.locator(".block")).to_have_text(
        "Bloqueada por 1 puesto: bajo consenso, un bloqueo impide la aprobación."
    )
    await expect(phone_es.locator("dl")).to_contain_text("Consenso · Voto nominal")
    body = await phone_es.locator("body").inner_text()
    for english in ("Results", "Yes", "Block", "Quorum was", "seats voted", "Rejected"):
        assert english not in body
    await screenshot(phone_es, "proposal-results-es")

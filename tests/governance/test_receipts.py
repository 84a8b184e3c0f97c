"""Secret ballot receipts: each voter's code shows, after the close, that their ballot was
counted as cast (a replaced vote's code does not); the receipts' table ties no code to a seat
or a moment, for a thief with a copy of the database, the leaked key and a voter's code.
Played on SQLite and PostgreSQL alike."""

from __future__ import annotations

import re

from hub.infrastructure.models.governance import Ballot, VotingRule
from hub.interfaces.graphql.node import to_global_id
from tests.conftest import TEST_SECRET
from tests.factories import create_admin
from tests.frontend.over_http import csrf_of, plain, read, sign_in_over_http
from tests.governance.database_thief import Thief, steal
from tests.governance.factories import create_committee, create_open_vote

CAST = """
mutation ($input: CastVoteInput!) {
  castVote(input: $input) { receiptCode errors { code } }
}
"""
CLOSE = "mutation ($id: ID!) { closeVoting(input: {proposalId: $id}) { errors { code } } }"
CHECK = """
query ($id: ID!, $code: String!) {
  ballotReceipt(proposalId: $id, code: $code) { ballotClosed counted choice }
}
"""


async def cast(gql, proposal, person, choice: str) -> str | None:
    variables = {"input": {"proposalId": to_global_id("Proposal", proposal.id), "choice": choice}}
    answer = (await gql.data(CAST, variables, as_=person))["castVote"]
    assert answer["errors"] == []
    return answer["receiptCode"]


async def check(gql, proposal, code: str, as_=None) -> dict:
    variables = {"id": to_global_id("Proposal", proposal.id), "code": code}
    return (await gql.data(CHECK, variables, as_=as_))["ballotReceipt"]


async def a_closed_secret_ballot(session, gql):
    """Four seats vote on a SECRET consensus ballot; the last seat's alternate replaces its
    holder's YES by BLOCK. Returns the proposal, the admin, the counted codes with their
    choices, and the replaced code."""
    committee = await create_committee(session, 4)
    admin = await create_admin(session)
    proposal = await create_open_vote(
        session, rule=VotingRule.CONSENSUS, ballot=Ballot.SECRET, admin=admin
    )
    await session.commit()
    counted = {}
    for seated, choice in zip(committee[:3], ("YES", "NO", "ABSTAIN"), strict=True):
        counted[await cast(gql, proposal, seated.holder, choice)] = choice
    replaced = await cast(gql, proposal, committee[3].holder, "YES")
    counted[await cast(gql, proposal, committee[3].alternate, "BLOCK")] = "BLOCK"
    open_check = await check(gql, proposal, next(iter(counted)), as_=committee[0].holder)
    closed = await gql.data(CLOSE, {"id": to_global_id("Proposal", proposal.id)}, as_=admin)
    assert closed["closeVoting"]["errors"] == []
    return proposal, admin, counted, replaced, open_check


async def test_each_counted_code_shows_its_choice_and_a_replaced_one_is_not_counted(session, gql):
    # Given a closed secret ballot whose voters kept their codes
    proposal, admin, counted, replaced, open_check = await a_closed_secret_ballot(session, gql)

    # Then before the close a code showed nothing; after it, each code shows its own choice,
    # to whoever holds it (an anonymous caller here), and typed loosely too
    assert open_check == {"ballotClosed": False, "counted": False, "choice": None}
    assert len(set(counted)) == 4
    for code, choice in counted.items():
        assert await check(gql, proposal, code) == {
            "ballotClosed": True,
            "counted": True,
            "choice": choice,
        }
        loosely = " " + code.lower().replace("-", " ") + " "
        assert (await check(gql, proposal, loosely))["choice"] == choice
    # the first vote of the seat that changed it was replaced: its code was not counted
    assert replaced not in counted
    not_counted = {"ballotClosed": True, "counted": False, "choice": None}
    assert await check(gql, proposal, replaced, as_=admin) == not_counted
    assert await check(gql, proposal, "not a code at all", as_=admin) == not_counted
    assert await check(gql, proposal, "x" * 10_000) == not_counted


async def test_a_malformed_or_unknown_proposal_gets_null_and_a_recorded_ballot_no_code(
    session, gql
):
    # Given a RECORDED ballot with one vote
    committee = await create_committee(session, 1)
    proposal = await create_open_vote(session, ballot=Ballot.RECORDED)
    await session.commit()

    # Then its vote has no receipt code, and a check never says counted
    assert await cast(gql, proposal, committee[0].holder, "YES") is None
    assert (await check(gql, proposal, "ABCD", as_=committee[0].holder))["counted"] is False
    # and a proposal id that is malformed or unknown answers null, not an error
    for bad in ("not-an-id", to_global_id("Proposal", 999_999), to_global_id("Person", 1)):
        answer = await gql.data(CHECK, {"id": bad, "code": "ABCD"})
        assert answer == {"ballotReceipt": None}


async def test_the_receipts_table_ties_no_code_to_a_seat_or_a_moment(session, gql, database_url):
    # Given a closed secret ballot, and a thief with a copy, the leaked key and one voter's code
    proposal, _, counted, _, _ = await a_closed_secret_ballot(session, gql)
    one_code = next(iter(counted))
    thief = Thief(
        await steal(database_url), leaked_secrets=(TEST_SECRET,), leaked_codes=(one_code,)
    )

    # Then the receipts hold one row per counted ballot with no seat, person or time beside
    # it, in the order of their hashes (not of seats or votes), all of one length
    rows = thief.receipts(proposal.id)
    assert len(rows) == 4
    assert {tuple(sorted(row.values)) for row in rows} == {
        ("proposal_id", "receipt_hash", "sealed_choice")
    }
    hashes = [bytes(row.values["receipt_hash"]) for row in rows]
    assert hashes == sorted(hashes)
    assert {len(bytes(row.values["sealed_choice"])) for row in rows} == {12 + 1 + 16}
    if rows[0].written_by is not None:  # PostgreSQL: all written by the closing transaction
        assert {row.written_by for row in rows} == {rows[0].written_by}
    # and only the leaked code's own row opens: nothing pairs a seat with a choice
    opened = thief.open_receipts(proposal.id)
    assert sorted(choice for choice in opened if choice) == [counted[one_code]]
    assert thief.claims(proposal.id) == set()
    assert thief.unlinked_choices(proposal.id) == []


async def test_the_proposal_page_shows_the_code_once_and_checks_it_after_the_close(
    session, http, gql, runtime
):
    # Given a voter signed in on a secret ballot's page
    committee = await create_committee(session, 2)
    admin = await create_admin(session)
    proposal = await create_open_vote(session, ballot=Ballot.SECRET, admin=admin)
    await session.commit()
    url = f"/proposals/{to_global_id('Proposal', proposal.id)}"
    await sign_in_over_http(http, runtime, committee[0].holder)
    form = await read(http, url, language="en")

    # When they vote by the form, they see their code on the answer itself (no redirect)
    voted = await http.post(f"{url}/vote", data={"choice": "NO", "csrf_token": csrf_of(form)})
    assert voted.status_code == 200
    shown = re.search(r'id="receipt-code".*?<code>([A-Z2-7-]+)</code>', voted.text, re.S)
    assert shown is not None
    code = shown.group(1)
    assert code not in (await http.get(url)).text  # and only there

    # Then after the close the page's form checks it, and a wrong code is not counted
    variables = {"id": to_global_id("Proposal", proposal.id)}
    assert (await gql.data(CLOSE, variables, as_=admin))["closeVoting"]["errors"] == []
    closed = await http.get(url)
    checked = await http.post(f"{url}/receipt", data={"code": code, "csrf_token": csrf_of(closed)})
    assert checked.status_code == 200
    assert "Your vote was counted as: No" in plain(checked.text)
    wrong = await http.post(f"{url}/receipt", data={"code": "AAAA", "csrf_token": csrf_of(closed)})
    assert "No vote counted in this ballot has this receipt code." in plain(wrong.text)
    empty = await http.post(f"{url}/receipt", data={"code": " ", "csrf_token": csrf_of(closed)})
    assert empty.status_code == 422
    spanish = await read(http, url, language="es")
    assert "Compruebe su código de comprobante" in spanish.text

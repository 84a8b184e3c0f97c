"""The pages read a voting window past its close as closed: the proposal page shows its
outcome and counts, the decision register lists it, a receipt code checks as counted, and
none of it writes; the worker's pass stores it and the pages read the same afterwards."""

from __future__ import annotations

import httpx
import pytest

from hub.infrastructure.models.governance import Ballot
from hub.interfaces.runtime import Runtime
from hub.worker import one_pass
from tests.frontend.over_http import csrf_of, plain, sign_in_over_http
from tests.graphql.governance.test_reads_never_write import passed_vote, pid, stored
from tests.infrastructure.outbox import clock, worker
from tests.infrastructure.sendgrid_standin import sendgrid_standin

__all__ = ["clock", "sendgrid_standin", "worker"]  # the worker's fixtures, used below
SIGNED_IN = "You are signed in. "  # shown once, on the first page after signing in
RESULTS = "3 of 3 seats voted; quorum is 2. Quorum was met."


async def pages(http: httpx.AsyncClient, proposal_id: str, code: str) -> tuple[str, str, str]:
    """The proposal page, the decision register and a receipt check, as plain text."""
    page = await http.get(f"/proposals/{proposal_id}")
    assert page.status_code == 200
    register = await http.get("/decisions")
    assert register.status_code == 200
    form = {"csrf_token": csrf_of(page), "code": code}
    receipt = await http.post(f"/proposals/{proposal_id}/receipt", data=form)
    assert receipt.status_code == 200
    shown = [plain(r.text).replace(SIGNED_IN, "") for r in (page, register, receipt)]
    return shown[0], shown[1], shown[2]


@pytest.mark.parametrize("ballot", [Ballot.RECORDED, Ballot.SECRET])
async def test_the_pages_read_a_passed_window_closed_and_write_nothing(
    session, gql, http: httpx.AsyncClient, runtime: Runtime, worker, ballot
):
    # Given an open vote (two YES, one NO) whose window passed, no worker pass since
    proposal, admin, code = await passed_vote(session, gql, ballot)
    before = await stored(session, proposal.id)
    await sign_in_over_http(http, runtime, admin)
    signed_in = await stored(session, proposal.id)
    assert signed_in[:5] == before[:5]

    # When the admin opens the proposal page, the register and checks a receipt code
    page, register, receipt = await pages(http, pid(proposal), code)

    # Then the proposal reads Adopted with its counts, is in the register, and nothing changed
    assert "Results Adopted" in page
    assert RESULTS in page
    assert "Cast the vote" not in page and "Change the vote" not in page
    assert proposal.title in register
    if ballot is Ballot.SECRET:
        assert "Your vote was counted as: No" in receipt
    assert await stored(session, proposal.id) == signed_in

    # When the worker stores it, the pages read the same
    assert (await one_pass(worker)).closed_proposals == 1
    assert (await stored(session, proposal.id))[0].value == "ADOPTED"
    again = await pages(http, pid(proposal), code)
    assert again == (page, register, receipt)

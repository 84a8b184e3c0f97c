"""Voting messages go to the holder and the alternate of every eligible seat."""

from __future__ import annotations

from hub.delivery.notifications import governance as notify
from hub.infrastructure.models.directory import Language
from hub.infrastructure.models.governance import ProposalStatus
from tests.factories import create_person
from tests.infrastructure.outbox import outbox_rows
from tests.notifications.factories import create_proposal_in_voting, create_seat


async def test_voting_opened_tells_each_eligible_seats_holder_and_alternate(
    session, runtime, worker, sendgrid_standin
):
    # Given two eligible seats (one without an alternate) and a seat that is not eligible
    holder = await create_person(session, email="holder@example.org")
    alternate = await create_person(
        session, email="alternate@example.org", preferred_language=Language.ES
    )
    lone = await create_person(session, email="lone@example.org")
    outsider = await create_person(session, email="outsider@example.org")
    seats = [await create_seat(session, holder, alternate), await create_seat(session, lone)]
    await create_seat(session, outsider)
    proposal = await create_proposal_in_voting(session, seats, title="Platform 2027")

    # When voting opens (told twice: still once each)
    await notify.voting_opened(session, proposal)
    await notify.voting_opened(session, proposal)
    await session.commit()
    await worker.drain()

    # Then the three people of the eligible seats got one message each, in their language
    assert sorted((r.to, r.subject) for r in sendgrid_standin.requests) == [
        ("alternate@example.org", "Votación abierta: Platform 2027"),
        ("holder@example.org", "Voting is open: Platform 2027"),
        ("lone@example.org", "Voting is open: Platform 2027"),
    ]


async def test_the_result_goes_to_the_same_people(session, runtime):
    holder = await create_person(session, email="holder@example.org")
    seat = await create_seat(session, holder)
    proposal = await create_proposal_in_voting(
        session,
        [seat],
        title="Platform 2027",
        status=ProposalStatus.ADOPTED,
        result={"yes": 5, "no": 1, "abstain": 0, "block": 0},
    )

    await notify.result_recorded(session, proposal)
    await session.commit()

    (row,) = await outbox_rows(runtime)
    assert (row.kind, row.recipient_address) == ("voting_result", "holder@example.org")
    assert row.payload["proposal"]["result"] == {"yes": 5, "no": 1, "abstain": 0, "block": 0}

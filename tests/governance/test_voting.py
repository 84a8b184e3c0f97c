"""Voting windows through the service: eligibility, the clock, replaced votes, closing once."""

from __future__ import annotations

import enum
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from hub.access.auth.viewer import Viewer
from hub.common.errors import InputError
from hub.domains.governance import voting
from hub.domains.governance.errors import GovernanceErrorCode as Code
from hub.infrastructure.models import EligibleSeat, GovernanceEvent, Proposal, Vote
from hub.infrastructure.models.governance import (
    Ballot,
    GovernanceAction,
    ProposalStatus,
    VoteChoice,
    VotingRule,
)
from tests.factories import create_admin, create_person
from tests.governance.factories import (
    TEST_BALLOT_KEY,
    admin_viewer,
    create_committee,
    create_open_vote,
    create_proposal,
    create_seat,
    seat_viewer,
)

OPENED = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
CLOSES = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)
DURING = OPENED + timedelta(hours=1)
Y, N, A, B = VoteChoice.YES, VoteChoice.NO, VoteChoice.ABSTAIN, VoteChoice.BLOCK


async def cast(session, viewer, proposal, choice, *, now=DURING, seat_id=None):
    return await voting.cast_vote(
        session,
        viewer,
        proposal.id,
        choice,
        seat_id=seat_id,
        ballot_key=TEST_BALLOT_KEY,
        now=now,
    )


async def close(session, admin, proposal, *, now):
    return await voting.close_voting(
        session, admin_viewer(admin), proposal.id, ballot_key=TEST_BALLOT_KEY, now=now
    )


async def actions(session, proposal) -> list[str]:
    rows = await session.scalars(
        select(GovernanceEvent.action)
        .where(GovernanceEvent.proposal_id == proposal.id)
        .order_by(GovernanceEvent.id)
    )
    return [str(action) for action in rows]


async def test_eligible_seats_are_the_active_held_seats_when_voting_opens(session):
    # Given two held seats, one vacated seat and one active seat without a holder
    held = await create_committee(session, 2)
    await create_seat(session, active=False)
    await create_seat(session, holder_id=None, alternate_id=None)

    # When voting opens, and a seat is added afterwards
    proposal = await create_open_vote(session, opened_at=OPENED, closes_at=CLOSES)
    latecomer = await create_seat(session)

    # Then only the two held seats may vote, and the latecomer is refused
    eligible = await session.scalars(
        select(EligibleSeat.seat_id).where(EligibleSeat.proposal_id == proposal.id)
    )
    assert sorted(eligible) == sorted(s.seat.id for s in held)
    with pytest.raises(InputError) as refused:
        await cast(session, latecomer.holder_viewer, proposal, Y)
    assert refused.value.code is Code.NOT_ELIGIBLE


async def test_a_later_vote_for_the_seat_replaces_the_first(session):
    (seated,) = await create_committee(session, 1)
    proposal = await create_open_vote(session, opened_at=OPENED, closes_at=CLOSES)

    await cast(session, seated.holder_viewer, proposal, N)
    vote = await cast(
        session, seated.alternate_viewer, proposal, Y, now=DURING + timedelta(seconds=1)
    )

    votes = (await session.scalars(select(Vote).where(Vote.proposal_id == proposal.id))).all()
    assert [(v.seat_id, v.choice, v.cast_by_id) for v in votes] == [
        (seated.seat.id, Y, seated.alternate.id)
    ]
    assert vote.id == votes[0].id
    assert await actions(session, proposal) == ["VOTING_OPENED", "VOTE_CAST", "VOTE_CHANGED"]


async def test_the_close_time_refuses_votes_and_closes_the_proposal(session):
    # Given a three-seat committee, quorum 0.5 (two seats), one YES cast a second before the close
    committee = await create_committee(session, 3)
    proposal = await create_open_vote(session, opened_at=OPENED, closes_at=CLOSES)
    await cast(session, committee[0].holder_viewer, proposal, Y, now=CLOSES - timedelta(seconds=1))

    # When a second seat votes one second after the close, before anything closed it
    with pytest.raises(InputError) as refused:
        await cast(
            session, committee[1].holder_viewer, proposal, Y, now=CLOSES + timedelta(seconds=1)
        )

    # Then the vote is refused and the proposal was closed with the one vote: no quorum
    assert refused.value.code is Code.VOTING_CLOSED
    assert proposal.status is ProposalStatus.REJECTED
    # closed at its window's end, as a read before this close already showed it
    assert proposal.closed_at == CLOSES
    assert proposal.result == {
        "seats_eligible": 3,
        "seats_voted": 1,
        "yes": 1,
        "no": 0,
        "abstain": 0,
        "block": 0,
        "quorum_threshold": 2,
        "quorum_met": False,
        "outcome": "REJECTED",
    }


async def test_a_vote_at_the_exact_close_time_is_refused(session):
    (seated,) = await create_committee(session, 1)
    proposal = await create_open_vote(session, opened_at=OPENED, closes_at=CLOSES)

    with pytest.raises(InputError) as refused:
        await cast(session, seated.holder_viewer, proposal, Y, now=CLOSES)

    assert refused.value.code is Code.VOTING_CLOSED
    assert await session.scalar(select(func.count()).select_from(Vote)) == 0


async def test_a_second_close_changes_nothing(session):
    committee = await create_committee(session, 2)
    admin = await create_admin(session)
    proposal = await create_open_vote(session, opened_at=OPENED, closes_at=CLOSES, admin=admin)
    await cast(session, committee[0].holder_viewer, proposal, Y)
    await cast(session, committee[1].holder_viewer, proposal, Y)
    await close(session, admin, proposal, now=DURING)
    first = (proposal.closed_at, dict(proposal.result or {}), proposal.status)

    again = await close(session, admin, proposal, now=CLOSES)
    due = await voting.close_due_proposals(
        session, ballot_key=TEST_BALLOT_KEY, now=CLOSES + timedelta(days=1)
    )

    assert (again.closed_at, again.result, again.status) == first
    assert first[1]["outcome"] == "ADOPTED"
    assert due == []
    assert await actions(session, proposal) == [
        "VOTING_OPENED",
        "VOTE_CAST",
        "VOTE_CAST",
        "VOTING_CLOSED",
        "OUTCOME_RECORDED",
    ]


async def test_close_due_proposals_closes_only_windows_that_have_passed(session):
    await create_committee(session, 1)
    admin = await create_admin(session)
    due = await create_open_vote(session, opened_at=OPENED, closes_at=CLOSES, admin=admin)
    later = await create_open_vote(
        session, opened_at=OPENED, closes_at=CLOSES + timedelta(days=1), admin=admin
    )

    closed = await voting.close_due_proposals(session, ballot_key=TEST_BALLOT_KEY, now=CLOSES)

    assert [p.id for p in closed] == [due.id]
    assert due.status is ProposalStatus.REJECTED
    assert later.status is ProposalStatus.VOTING and later.closed_at is None


async def test_people_without_an_eligible_seat_are_refused(session):
    await create_committee(session, 1)
    proposal = await create_open_vote(session, opened_at=OPENED, closes_at=CLOSES)
    member = Viewer(
        person_id=(await create_person(session)).id,
        affiliated_org_ids=frozenset({1}),
        member_org_ids=frozenset({1}),
    )
    admin = await create_admin(session)

    for viewer in (member, admin_viewer(admin)):
        with pytest.raises(InputError) as refused:
            await cast(session, viewer, proposal, Y)
        assert refused.value.code is Code.NOT_ELIGIBLE
    stranger = Viewer(person_id=(await create_person(session)).id)
    with pytest.raises(InputError) as unseen:
        await cast(session, stranger, proposal, Y)
    assert unseen.value.code is Code.UNKNOWN_PROPOSAL


async def test_someone_in_two_seats_names_the_seat(session):
    first, second = await create_committee(session, 2)
    second.seat.holder_id = first.holder.id
    await session.flush()
    proposal = await create_open_vote(session, opened_at=OPENED, closes_at=CLOSES)
    both = seat_viewer(first.holder, first.seat, second.seat)

    with pytest.raises(InputError) as refused:
        await cast(session, both, proposal, Y)
    vote = await cast(session, both, proposal, N, seat_id=second.seat.id)

    assert (refused.value.code, refused.value.field) == (Code.SEAT_REQUIRED, "seatId")
    assert (vote.seat_id, vote.choice) == (second.seat.id, N)


async def test_block_is_refused_outside_consensus(session):
    (seated,) = await create_committee(session, 1)
    proposal = await create_open_vote(session, opened_at=OPENED, closes_at=CLOSES)

    with pytest.raises(InputError) as refused:
        await cast(session, seated.holder_viewer, proposal, B)

    assert refused.value.code is Code.BLOCK_ONLY_UNDER_CONSENSUS


async def test_a_secret_ballot_keeps_only_sealed_choices_and_erases_them_at_the_close(
    session, caplog
):
    caplog.set_level(logging.DEBUG, logger="hub")
    committee = await create_committee(session, 3)
    admin = await create_admin(session)
    proposal = await create_open_vote(
        session,
        rule=VotingRule.CONSENSUS,
        ballot=Ballot.SECRET,
        opened_at=OPENED,
        closes_at=CLOSES,
        admin=admin,
    )

    await cast(session, committee[0].holder_viewer, proposal, Y)
    await cast(session, committee[1].holder_viewer, proposal, Y)
    await cast(session, committee[2].holder_viewer, proposal, A)
    await cast(session, committee[2].alternate_viewer, proposal, B)  # replaces the ABSTAIN
    votes_while_open = await sealed_votes(session, proposal)
    await close(session, admin, proposal, now=DURING)

    # While open: no plain choice, one seal per seat, all of one length, equal choices unalike
    assert [choice for choice, _ in votes_while_open] == [None, None, None]
    seals = [seal for _, seal in votes_while_open]
    # (nonce 12, tag 16, and the choice with its receipt: 1 + 32 + 32)
    assert [len(seal or b"") for seal in seals] == [93, 93, 93]
    assert len(set(seals)) == 3
    # After the close: the counts, and no seal left
    assert await sealed_votes(session, proposal) == [(None, None)] * 3
    assert (proposal.result or {})["yes"] == 2
    assert (proposal.result or {})["block"] == 1
    assert proposal.status is ProposalStatus.REJECTED
    details = await session.scalars(
        select(GovernanceEvent.detail).where(
            GovernanceEvent.action.in_([GovernanceAction.VOTE_CAST, GovernanceAction.VOTE_CHANGED])
        )
    )
    assert list(details) == ["", "", "", ""]
    assert "BLOCK" not in caplog.text and "ABSTAIN" not in caplog.text


async def sealed_votes(session, proposal) -> list[tuple[VoteChoice | None, bytes | None]]:
    rows = await session.execute(
        select(Vote.choice, Vote.sealed_choice)
        .where(Vote.proposal_id == proposal.id)
        .order_by(Vote.seat_id)
        .execution_options(populate_existing=True)
    )
    return [(choice, sealed) for choice, sealed in rows]


async def test_opening_checks_its_terms(session):
    await create_committee(session, 1)
    admin = admin_viewer(await create_admin(session))
    draft = await create_proposal(session, status=ProposalStatus.DRAFT)
    discussed = await create_proposal(session)

    async def refused(proposal: Proposal, **terms: Any) -> enum.Enum:
        given: dict[str, Any] = {
            "rule": VotingRule.MAJORITY,
            "quorum": 0.5,
            "ballot": Ballot.RECORDED,
            "closes_at": CLOSES,
        }
        given.update(terms)
        with pytest.raises(InputError) as error:
            await voting.open_voting(
                session,
                admin,
                proposal.id,
                voting.VotingTerms(**given),
                ballot_key=TEST_BALLOT_KEY,
                now=OPENED,
            )
        return error.value.code

    assert await refused(draft) is Code.INVALID_STATUS_CHANGE
    assert await refused(discussed, quorum=0) is Code.INVALID_QUORUM
    assert await refused(discussed, quorum=1.5) is Code.INVALID_QUORUM
    assert await refused(discussed, quorum=0.3333) is Code.INVALID_QUORUM
    assert await refused(discussed, closes_at=OPENED) is Code.CLOSES_IN_PAST
    assert await refused(discussed, closes_at=datetime(2026, 3, 4)) is Code.INVALID_TIME
    assert discussed.status is ProposalStatus.DISCUSSION

"""Committee meetings through the services: the agenda, who is present or represented, and a
vote taken in the meeting whose quorum is the room's."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from hub.access.permissions.errors import Forbidden
from hub.common.errors import InputError
from hub.domains.governance import meetings, voting
from hub.domains.governance.errors import GovernanceErrorCode as Code
from hub.infrastructure.models import AgendaItem, EligibleSeat, Proposal
from hub.infrastructure.models.convenings import ConveningKind
from hub.infrastructure.models.governance import Ballot, ProposalStatus, VoteChoice, VotingRule
from tests.factories import create_admin
from tests.governance.factories import (
    TEST_BALLOT_KEY,
    admin_viewer,
    create_committee,
    create_proposal,
)
from tests.governance.meeting_factories import (
    MEETING_STARTS,
    check_in_at,
    create_meeting,
    give_proxy,
)

DURING = MEETING_STARTS + timedelta(minutes=30)


def terms(meeting_id: int | None, quorum: float = 0.5) -> voting.VotingTerms:
    return voting.VotingTerms(
        rule=VotingRule.MAJORITY,
        quorum=quorum,
        ballot=Ballot.RECORDED,
        closes_at=DURING + timedelta(hours=1),
        meeting_id=meeting_id,
    )


async def open_in(session, admin, proposal, meeting_id):
    return await voting.open_voting(
        session,
        admin_viewer(admin),
        proposal.id,
        terms(meeting_id),
        ballot_key=TEST_BALLOT_KEY,
        now=MEETING_STARTS,
    )


async def test_admins_set_the_agenda_in_order_and_mistakes_change_nothing(session):
    admin = await create_admin(session)
    (seated,) = await create_committee(session, 1)
    meeting = await create_meeting(session)
    first, second = await create_proposal(session), await create_proposal(session)

    await meetings.set_agenda(
        session, admin_viewer(admin), meeting.id, [second.id, first.id], now=MEETING_STARTS
    )
    items = await meetings.agenda(session, meeting.id)
    assert [(i.position, i.proposal_id) for i in items] == [(1, second.id), (2, first.id)]

    strategy = await create_meeting(session, kind=ConveningKind.STRATEGY_SESSION)
    refusals = [
        (meeting.id, [first.id, first.id], Code.DUPLICATE_AGENDA_ITEM),
        (meeting.id, [first.id, 999_999], Code.UNKNOWN_PROPOSAL),
        (strategy.id, [first.id], Code.NOT_A_MEETING),
    ]
    for convening_id, proposal_ids, code in refusals:
        with pytest.raises(InputError) as refused:
            await meetings.set_agenda(
                session, admin_viewer(admin), convening_id, proposal_ids, now=MEETING_STARTS
            )
        assert refused.value.code is code
    with pytest.raises(Forbidden):
        await meetings.set_agenda(
            session, seated.holder_viewer, meeting.id, [first.id], now=MEETING_STARTS
        )
    assert await session.scalar(select(func.count()).select_from(AgendaItem)) == 2


async def test_a_seat_is_present_when_its_holder_or_alternate_checks_in(session):
    admin = await create_admin(session)
    by_holder, by_alternate, absent, proxied, proxied_to_absent = await create_committee(session, 5)
    meeting = await create_meeting(session)
    await check_in_at(session, meeting, by_holder.holder, admin)
    await check_in_at(session, meeting, by_alternate.alternate, admin)
    await give_proxy(session, proxied, by_holder, meeting=meeting)
    # A proxy carried by someone who is not in the room brings nobody in.
    await give_proxy(session, proxied_to_absent, absent, meeting=meeting)

    room = await meetings.attendance(session, meeting.id)

    assert room.present_seat_ids == sorted([by_holder.seat.id, by_alternate.seat.id])
    assert room.represented_seat_ids == [proxied.seat.id]
    assert (room.seats_in_meeting, room.seats_held) == (3, 5)


async def test_a_vote_in_the_meeting_is_over_the_seats_present_or_represented(session):
    # Given 6 seats: 3 present, 1 represented by proxy, 2 absent
    admin = await create_admin(session)
    committee = await create_committee(session, 6)
    present, proxied = committee[:3], committee[3]
    meeting = await create_meeting(session)
    for seated in present:
        await check_in_at(session, meeting, seated.holder, admin)
    await give_proxy(session, proxied, present[0], meeting=meeting)
    # A proxy carried by an absent holder: the seat is not in the meeting, nor is its proxy
    absent_carrier, carried_away = committee[5], committee[4]
    await give_proxy(session, carried_away, absent_carrier, meeting=meeting)
    proposal = await create_proposal(session)
    elsewhere = await create_proposal(session)
    await meetings.set_agenda(
        session, admin_viewer(admin), meeting.id, [proposal.id], now=MEETING_STARTS
    )

    # When voting opens in the meeting (and, refused, on a proposal not on its agenda)
    with pytest.raises(InputError) as refused:
        await open_in(session, admin, elsewhere, meeting.id)
    assert refused.value.code is Code.NOT_ON_AGENDA
    empty = await create_meeting(session)
    await meetings.set_agenda(
        session, admin_viewer(admin), empty.id, [elsewhere.id], now=MEETING_STARTS
    )
    with pytest.raises(InputError) as nobody:
        await open_in(session, admin, elsewhere, empty.id)
    assert (nobody.value.field, nobody.value.code) == ("meetingId", Code.NO_ELIGIBLE_SEATS)
    opened = await open_in(session, admin, proposal, meeting.id)

    # Then its eligible seats are the room's 4, shown on the proposal
    eligible = await session.scalars(
        select(EligibleSeat.seat_id).where(EligibleSeat.proposal_id == proposal.id)
    )
    assert sorted(eligible) == sorted([s.seat.id for s in (*present, proxied)])
    assert opened.meeting_id == meeting.id
    refused_proposal = await session.get(Proposal, elsewhere.id)
    assert (refused_proposal.status, refused_proposal.meeting_id) == (
        ProposalStatus.DISCUSSION,
        None,
    )

    # When 2 present seats vote YES (2 of 4 meets a 0.5 quorum: ceil(0.5 x 4) = 2)
    for seated in present[:2]:
        await voting.cast_vote(
            session,
            seated.holder_viewer,
            proposal.id,
            VoteChoice.YES,
            seat_id=None,
            ballot_key=TEST_BALLOT_KEY,
            now=DURING,
        )
    # and an absent seat tries
    with pytest.raises(InputError) as absent:
        await voting.cast_vote(
            session,
            committee[5].holder_viewer,
            proposal.id,
            VoteChoice.NO,
            seat_id=None,
            ballot_key=TEST_BALLOT_KEY,
            now=DURING,
        )
    assert absent.value.code is Code.NOT_ELIGIBLE
    with pytest.raises(InputError) as away:
        await voting.cast_vote(
            session,
            absent_carrier.holder_viewer,
            proposal.id,
            VoteChoice.NO,
            seat_id=carried_away.seat.id,
            ballot_key=TEST_BALLOT_KEY,
            now=DURING,
        )
    assert away.value.code is Code.NOT_ELIGIBLE
    closed = await voting.close_voting(
        session, admin_viewer(admin), proposal.id, ballot_key=TEST_BALLOT_KEY, now=DURING
    )

    # Then quorum is counted over the 4 seats in the meeting, not the committee's 6
    assert closed.result["seats_eligible"] == 4
    assert closed.result["quorum_threshold"] == 2
    assert (closed.result["quorum_met"], closed.status) == (True, ProposalStatus.ADOPTED)


@pytest.mark.database_independent
def test_the_current_item_is_the_last_voted_in_the_meeting_else_the_first_undecided():
    items = [AgendaItem(convening_id=7, proposal_id=pk, position=pk) for pk in (1, 2, 3)]

    def proposals(**opened: int) -> dict[int, Proposal]:
        made = {pk: Proposal(id=pk, status=ProposalStatus.DISCUSSION) for pk in (1, 2, 3)}
        for name, minutes in opened.items():
            made[int(name[1:])].meeting_id = 7
            made[int(name[1:])].status = ProposalStatus.VOTING
            made[int(name[1:])].voting_opened_at = MEETING_STARTS + timedelta(minutes=minutes)
        return made

    assert meetings.current_item(items, proposals()).position == 1
    assert meetings.current_item(items, proposals(p1=5, p2=20)).position == 2
    voted_elsewhere = proposals(p3=30)
    voted_elsewhere[3].meeting_id = 8
    assert meetings.current_item(items, voted_elsewhere).position == 1
    assert meetings.current_item([], {}) is None

"""What the committee's back office needs of the schema, over a real database: vacating a seat
(once), an assignment sent twice (written once), the admins' roster with vacated seats, a create
form's key (two submissions, even at the same moment, make one proposal), and an edit form sent
again unchanged (nothing written)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from hub.domains.governance import voting
from hub.infrastructure.models import (
    CommitteeSeat,
    GovernanceEvent,
    OutboxMessage,
    Proposal,
    ProposalSponsor,
    ProposalVersion,
    Vote,
)
from hub.infrastructure.models.governance import GovernanceAction, ProposalStatus, VoteChoice
from hub.interfaces.graphql.node import to_global_id
from tests.factories import create_admin, create_organization
from tests.governance.factories import create_committee, create_open_vote, create_proposal

VACATE = """
mutation ($organization: ID!) { vacateSeat(input: {organizationId: $organization}) {
  seat { active holder { name } organization { name } } errors { field code }
} }
"""
ASSIGN = """
mutation ($input: AssignSeatInput!) { assignSeat(input: $input) {
  seat { active } errors { field code }
} }
"""
ROSTER = "{ committeeRoster { active organization { name } holder { name } } }"
CREATE = """
mutation ($input: CreateProposalInput!) { createProposal(input: $input) {
  proposal { id title status sponsors { name } } errors { field code }
} }
"""
UPDATE = """
mutation ($input: UpdateProposalInput!) { updateProposal(input: $input) {
  proposal { id status } errors { field code }
} }
"""


async def counted(session, model, *where) -> int:
    found = await session.scalar(select(func.count()).select_from(model).where(*where))
    await session.commit()
    return int(found or 0)


def gid(type_name: str, pk: int) -> str:
    return to_global_id(type_name, pk)


async def test_vacating_a_seat_twice_vacates_it_once(session, gql):
    admin = await create_admin(session)
    (seated,) = await create_committee(session, 1)
    seated.organization.name = "SCOPE"
    await session.commit()
    variables = {"organization": gid("Organization", seated.organization.id)}

    first = await gql.data(VACATE, variables, as_=admin)
    second = await gql.data(VACATE, variables, as_=admin)

    expected = {"active": False, "holder": None, "organization": {"name": "SCOPE"}}
    assert first["vacateSeat"] == {"seat": expected, "errors": []}
    assert second["vacateSeat"] == {"seat": expected, "errors": []}
    vacated = GovernanceEvent.action == GovernanceAction.SEAT_VACATED
    assert await counted(session, GovernanceEvent, vacated) == 1
    roster = await gql.data(ROSTER, as_=admin)
    assert roster["committeeRoster"] == [
        {"active": False, "organization": {"name": "SCOPE"}, "holder": None}
    ]


async def test_vacating_an_organization_without_a_seat_is_refused(session, gql):
    admin = await create_admin(session)
    organization = await create_organization(session)
    await session.commit()

    data = await gql.data(VACATE, {"organization": gid("Organization", organization.id)}, as_=admin)

    assert data["vacateSeat"] == {
        "seat": None,
        "errors": [{"field": "organizationId", "code": "UNKNOWN_SEAT"}],
    }
    assert await counted(session, CommitteeSeat) == 0
    assert await counted(session, GovernanceEvent) == 0


async def test_the_same_assignment_sent_twice_is_written_once(session, gql):
    admin = await create_admin(session)
    (seated,) = await create_committee(session, 1)
    await session.commit()
    swapped = {
        "organizationId": gid("Organization", seated.organization.id),
        "holderId": gid("Person", seated.alternate.id),
        "alternateId": gid("Person", seated.holder.id),
    }

    answers = [await gql.data(ASSIGN, {"input": swapped}, as_=admin) for _ in range(2)]

    assert [a["assignSeat"] for a in answers] == [{"seat": {"active": True}, "errors": []}] * 2
    assigned = GovernanceEvent.action == GovernanceAction.SEAT_ASSIGNED
    assert await counted(session, GovernanceEvent, assigned) == 1
    seat = (
        await session.execute(select(CommitteeSeat.holder_id, CommitteeSeat.alternate_id))
    ).one()
    await session.commit()
    assert tuple(seat) == (seated.alternate.id, seated.holder.id)


async def test_a_create_form_sent_twice_makes_one_proposal(session, gql):
    admin = await create_admin(session)
    sponsor = await create_organization(session, name="SCOPE")
    await session.commit()
    form = {
        "title": "Fund the youth organizers",
        "body": "**Two** positions.",
        "sponsorOrganizationIds": [gid("Organization", sponsor.id)],
        "idempotencyKey": "6f1c2a9e-form",
    }

    first = await gql.data(CREATE, {"input": form}, as_=admin)
    again = await gql.data(CREATE, {"input": form}, as_=admin)

    assert first["createProposal"]["errors"] == []
    assert again == first
    assert first["createProposal"]["proposal"]["sponsors"] == [{"name": "SCOPE"}]
    assert await counted(session, Proposal) == 1
    created = GovernanceEvent.action == GovernanceAction.PROPOSAL_CREATED
    assert await counted(session, GovernanceEvent, created) == 1


async def test_simultaneous_submissions_of_one_create_form_make_one_proposal(session, gql):
    admin = await create_admin(session)
    await session.commit()
    form = {"title": "Fund the youth organizers", "idempotencyKey": "same-moment"}

    answers = await asyncio.gather(
        *(gql.post(CREATE, {"input": form}, as_=admin) for _ in range(4))
    )

    payloads = [a.json()["data"]["createProposal"] for a in answers]
    assert [p["errors"] for p in payloads] == [[]] * 4
    assert len({p["proposal"]["id"] for p in payloads}) == 1
    assert await counted(session, Proposal) == 1


async def test_two_forms_make_two_proposals_and_a_key_too_long_makes_none(session, gql):
    admin = await create_admin(session)
    await session.commit()

    for key in ("form-a", "form-b", None):
        form = {"title": "Same title", "idempotencyKey": key}
        assert (await gql.data(CREATE, {"input": form}, as_=admin))["createProposal"][
            "errors"
        ] == []
    too_long = {"title": "Another", "idempotencyKey": "k" * 65}
    refused = await gql.data(CREATE, {"input": too_long}, as_=admin)

    assert refused["createProposal"] == {
        "proposal": None,
        "errors": [{"field": "idempotencyKey", "code": "TOO_LONG"}],
    }
    assert await counted(session, Proposal) == 3


async def test_an_edit_form_sent_again_unchanged_writes_nothing(session, gql):
    admin = await create_admin(session)
    sponsor = await create_organization(session)
    proposal = await create_proposal(session, title="Title", summary="", body="Body")
    session.add(ProposalSponsor(proposal_id=proposal.id, organization_id=sponsor.id))
    await session.commit()
    unchanged = {
        "id": gid("Proposal", proposal.id),
        "title": "Title",
        "summary": "",
        "body": "Body",
        "sponsorOrganizationIds": [gid("Organization", sponsor.id)],
        "originConveningId": None,
        "status": "DISCUSSION",
    }
    before = await session.scalar(select(Proposal.updated_at).where(Proposal.id == proposal.id))
    await session.commit()

    data = await gql.data(UPDATE, {"input": unchanged}, as_=admin)

    assert data["updateProposal"]["errors"] == []
    assert await counted(session, GovernanceEvent) == 0
    assert await counted(session, ProposalVersion) == 0
    after = await session.scalar(select(Proposal.updated_at).where(Proposal.id == proposal.id))
    await session.commit()
    assert after == before


async def test_sponsors_change_and_the_lifecycle_moves_with_one_event_each(session, gql):
    admin = await create_admin(session)
    first, second = [await create_organization(session) for _ in range(2)]
    proposal = await create_proposal(session, status=ProposalStatus.DRAFT)
    session.add(ProposalSponsor(proposal_id=proposal.id, organization_id=first.id))
    await session.commit()
    pid = gid("Proposal", proposal.id)

    sponsors = {"id": pid, "sponsorOrganizationIds": [gid("Organization", second.id)]}
    await gql.data(UPDATE, {"input": sponsors}, as_=admin)
    moved = await gql.data(UPDATE, {"input": {"id": pid, "status": "DISCUSSION"}}, as_=admin)
    again = await gql.data(UPDATE, {"input": {"id": pid, "status": "DISCUSSION"}}, as_=admin)

    assert moved["updateProposal"] == again["updateProposal"]
    assert moved["updateProposal"]["proposal"]["status"] == "DISCUSSION"
    held = await session.scalars(select(ProposalSponsor.organization_id))
    assert list(held) == [second.id]
    await session.commit()
    actions = await session.scalars(select(GovernanceEvent.action).order_by(GovernanceEvent.id))
    assert list(actions) == [GovernanceAction.PROPOSAL_UPDATED, GovernanceAction.STATUS_CHANGED]
    await session.commit()


async def test_a_proposal_being_voted_on_refuses_edits_and_keeps_its_text(session, gql):
    admin = await create_admin(session)
    await create_committee(session, 1)
    proposal = await create_open_vote(session, title="Frozen", admin=admin)
    await session.commit()

    edit = {"id": gid("Proposal", proposal.id), "title": "Thawed"}
    data = await gql.data(UPDATE, {"input": edit}, as_=admin)

    assert data["updateProposal"] == {
        "proposal": None,
        "errors": [{"field": None, "code": "TEXT_FROZEN"}],
    }
    title = await session.scalar(select(Proposal.title))
    await session.commit()
    assert title == "Frozen"


OPEN = """
mutation ($input: OpenVotingInput!) { openVoting(input: $input) {
  proposal { status votingOpensAt votingClosesAt } errors { field code }
} }
"""
CAST = """
mutation ($input: CastVoteInput!) { castVote(input: $input) { vote { id } errors { code } } }
"""


def window(proposal, opens: datetime, closes: datetime) -> dict:
    return {
        "proposalId": gid("Proposal", proposal.id),
        "rule": "MAJORITY",
        "quorum": 0.5,
        "ballot": "RECORDED",
        "opensAt": opens.isoformat(),
        "closesAt": closes.isoformat(),
    }


async def test_a_window_opening_later_takes_no_vote_and_tells_the_seats_at_its_start(session, gql):
    admin = await create_admin(session)
    (seated,) = await create_committee(session, 1)
    proposal = await create_proposal(session)
    await session.commit()
    opens = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=1)

    data = await gql.data(
        OPEN, {"input": window(proposal, opens, opens + timedelta(days=2))}, as_=admin
    )
    cast = {"proposalId": gid("Proposal", proposal.id), "choice": "YES"}
    early = await gql.data(CAST, {"input": cast}, as_=seated.holder)

    assert data["openVoting"]["errors"] == []
    assert data["openVoting"]["proposal"]["status"] == "VOTING"
    assert datetime.fromisoformat(data["openVoting"]["proposal"]["votingOpensAt"]) == opens
    assert early["castVote"] == {"vote": None, "errors": [{"code": "VOTING_NOT_OPEN"}]}
    assert await counted(session, Vote) == 0
    notices = await session.scalars(
        select(OutboxMessage.next_attempt_at).where(OutboxMessage.kind == "voting_opened")
    )
    assert list(notices) == [opens, opens]  # the holder's and the alternate's
    await session.commit()
    # When the start has come, the seat votes
    await voting.cast_vote(
        session,
        seated.holder_viewer,
        proposal.id,
        VoteChoice.YES,
        seat_id=None,
        ballot_key=None,
        now=opens + timedelta(minutes=1),
    )
    await session.commit()
    assert await counted(session, Vote) == 1


async def test_a_window_closing_before_it_opens_is_refused_and_nothing_opens(session, gql):
    admin = await create_admin(session)
    await create_committee(session, 1)
    proposal = await create_proposal(session)
    await session.commit()
    opens = datetime.now(UTC) + timedelta(days=2)

    data = await gql.data(
        OPEN, {"input": window(proposal, opens, opens - timedelta(hours=1))}, as_=admin
    )

    assert data["openVoting"] == {
        "proposal": None,
        "errors": [{"field": "closesAt", "code": "CLOSES_BEFORE_OPENING"}],
    }
    status = await session.scalar(select(Proposal.status))
    await session.commit()
    assert status is ProposalStatus.DISCUSSION
    assert await counted(session, GovernanceEvent) == 0
    assert await counted(session, OutboxMessage) == 0

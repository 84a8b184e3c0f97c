"""Amendments: a seat proposes a replacement of the text, the proposal's sponsors accept or
reject it, accepted ones become versions of the text (each readable), the text freezes when
voting opens, and two acceptances at once never lose a text silently."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from hub.infrastructure.models import (
    Person,
    Proposal,
    ProposalAmendment,
    ProposalSponsor,
    ProposalVersion,
)
from hub.infrastructure.models.governance import ProposalStatus
from hub.interfaces.graphql.node import to_global_id
from tests.convenings.factories import create_member
from tests.factories import create_admin, create_organization
from tests.governance.factories import SeatedOrganization, create_proposal, create_seat

PROPOSE = """
mutation ($input: ProposeAmendmentInput!) { proposeAmendment(input: $input) {
  amendment { id status baseVersion body rationale seat { organization { name } } }
  errors { field code }
} }
"""
ACCEPT = """
mutation ($input: DecideAmendmentInput!) { acceptAmendment(input: $input) {
  amendment { status version decidedBy { name } } proposal { body version }
  errors { field code }
} }
"""
REJECT = """
mutation ($input: DecideAmendmentInput!) { rejectAmendment(input: $input) {
  amendment { status version } errors { field code }
} }
"""
HISTORY = """
query ($id: ID!) { node(id: $id) { ... on Proposal {
  status body version
  versions { number body amendment { rationale } }
  amendments { status body rationale baseVersion version }
} } }
"""
OPEN_VOTING = """
mutation ($input: OpenVotingInput!) { openVoting(input: $input) {
  proposal { status body } errors { code }
} }
"""
ORIGINAL = "## Plan\n\nWe meet quarterly."


@dataclass
class Amendable:
    proposal: Proposal
    seat: SeatedOrganization
    sponsor: Person
    other_sponsor: Person
    admin: Person

    @property
    def id(self) -> str:
        return to_global_id("Proposal", self.proposal.id)


async def amendable(session, status: ProposalStatus = ProposalStatus.DISCUSSION) -> Amendable:
    """A proposal sponsored by two organizations, one person of each, and a seat (not a
    sponsor) to amend it."""
    proposal = await create_proposal(session, body=ORIGINAL, status=status)
    people = []
    for name in ("SCOPE", "ACCE"):
        organization = await create_organization(session, name=name)
        session.add(ProposalSponsor(proposal_id=proposal.id, organization_id=organization.id))
        people.append(await create_member(session, organization, name=f"{name} sponsor"))
    seat = await create_seat(session, organization=await create_organization(session, name="PICO"))
    admin = await create_admin(session)
    await session.commit()
    return Amendable(proposal, seat, people[0], people[1], admin)


async def propose(gql, given: Amendable, body: str, rationale: str = "Clearer.") -> dict:
    variables = {"input": {"proposalId": given.id, "body": body, "rationale": rationale}}
    return (await gql.data(PROPOSE, variables, as_=given.seat.holder))["proposeAmendment"]


async def decide(gql, text: str, amendment_id: str, person: Person) -> dict:
    data = await gql.data(text, {"input": {"amendmentId": amendment_id}}, as_=person)
    return next(iter(data.values()))


async def stored(session, proposal_id: int) -> tuple:
    body = await session.scalar(
        select(Proposal.body)
        .where(Proposal.id == proposal_id)
        .execution_options(populate_existing=True)
    )
    versions = (
        await session.execute(
            select(ProposalVersion.number, ProposalVersion.body)
            .where(ProposalVersion.proposal_id == proposal_id)
            .order_by(ProposalVersion.number)
        )
    ).all()
    amendments = (
        await session.execute(
            select(ProposalAmendment.status)
            .where(ProposalAmendment.proposal_id == proposal_id)
            .order_by(ProposalAmendment.id)
        )
    ).all()
    await session.commit()
    return body, [tuple(v) for v in versions], [a for (a,) in amendments]


def voting_terms(proposal_id: str) -> dict:
    closes = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    return {
        "proposalId": proposal_id,
        "rule": "MAJORITY",
        "quorum": 0.5,
        "ballot": "RECORDED",
        "closesAt": closes,
    }


async def test_two_amendments_one_accepted_one_rejected_and_the_text_frozen(session, gql):
    # Given a proposal in discussion, sponsored by two organizations
    given = await amendable(session)

    # When a seat proposes two amendments, a sponsor accepts one and rejects the other
    first = await propose(gql, given, "## Plan\n\nWe meet every quarter.", "Plainer words.")
    second = await propose(gql, given, "## Plan\n\nWe meet monthly.", "More often.")
    assert first["amendment"]["status"] == "PENDING"
    assert first["amendment"]["baseVersion"] == 1
    assert first["amendment"]["seat"] == {"organization": {"name": "PICO"}}
    accepted = await decide(gql, ACCEPT, first["amendment"]["id"], given.sponsor)
    rejected = await decide(gql, REJECT, second["amendment"]["id"], given.other_sponsor)

    # Then the accepted text is the proposal's second version, and the rejected one is kept
    # as a rejected amendment, never a version
    assert accepted == {
        "amendment": {"status": "ACCEPTED", "version": 2, "decidedBy": {"name": "SCOPE sponsor"}},
        "proposal": {"body": "## Plan\n\nWe meet every quarter.", "version": 2},
        "errors": [],
    }
    assert rejected == {"amendment": {"status": "REJECTED", "version": None}, "errors": []}
    history = (await gql.data(HISTORY, {"id": given.id}, as_=given.sponsor))["node"]
    assert history["versions"] == [
        {"number": 1, "body": ORIGINAL, "amendment": None},
        {
            "number": 2,
            "body": "## Plan\n\nWe meet every quarter.",
            "amendment": {"rationale": "Plainer words."},
        },
    ]
    assert history["amendments"] == [
        {
            "status": "ACCEPTED",
            "body": "## Plan\n\nWe meet every quarter.",
            "rationale": "Plainer words.",
            "baseVersion": 1,
            "version": 2,
        },
        {
            "status": "REJECTED",
            "body": "## Plan\n\nWe meet monthly.",
            "rationale": "More often.",
            "baseVersion": 1,
            "version": None,
        },
    ]

    # When voting opens, a third amendment and a late acceptance are refused
    opened = await gql.data(OPEN_VOTING, {"input": voting_terms(given.id)}, as_=given.admin)
    assert opened["openVoting"] == {
        "proposal": {"status": "VOTING", "body": "## Plan\n\nWe meet every quarter."},
        "errors": [],
    }
    before = await stored(session, given.proposal.id)
    late = await propose(gql, given, "## Plan\n\nWe never meet.")
    assert late == {"amendment": None, "errors": [{"field": "proposalId", "code": "TEXT_FROZEN"}]}

    # Then the frozen text is the accepted one, with its history of three texts unchanged
    assert await stored(session, given.proposal.id) == before
    assert before[0] == "## Plan\n\nWe meet every quarter."
    assert len(before[1]) == 2 and len(before[2]) == 2


async def test_two_sponsors_accepting_two_amendments_at_once_lose_no_text(session, gql):
    # Given two pending amendments to the same version of the text, three times over
    for _ in range(3):
        given = await amendable(session)
        one = (await propose(gql, given, "Text one"))["amendment"]["id"]
        two = (await propose(gql, given, "Text two"))["amendment"]["id"]

        # When two sponsors accept one each at the same moment
        answers = await asyncio.gather(
            gql.post(ACCEPT, {"input": {"amendmentId": one}}, as_=given.sponsor),
            gql.post(ACCEPT, {"input": {"amendmentId": two}}, as_=given.other_sponsor),
        )

        # Then one is accepted and the other refused as outdated: no text was overwritten
        payloads = [a.json()["data"]["acceptAmendment"] for a in answers]
        codes = sorted(str(p["errors"]) for p in payloads)
        assert codes == ["[]", "[{'field': 'amendmentId', 'code': 'AMENDMENT_OUTDATED'}]"]
        winner = next(p for p in payloads if not p["errors"])["proposal"]["body"]
        body, versions, statuses = await stored(session, given.proposal.id)
        assert body == winner
        assert versions == [(1, ORIGINAL), (2, winner)]
        assert sorted(statuses) == ["ACCEPTED", "PENDING"]


async def test_an_edit_of_the_text_is_a_version_and_outdates_pending_amendments(session, gql):
    given = await amendable(session)
    pending = (await propose(gql, given, "Their text"))["amendment"]["id"]
    update = """mutation ($input: UpdateProposalInput!) { updateProposal(input: $input) {
      proposal { body } errors { code } } }"""

    edited = await gql.data(
        update, {"input": {"id": given.id, "body": "Our text"}}, as_=given.seat.holder
    )
    late = await decide(gql, ACCEPT, pending, given.sponsor)

    assert edited["updateProposal"]["errors"] == []
    assert late["errors"] == [{"field": "amendmentId", "code": "AMENDMENT_OUTDATED"}]
    assert (await stored(session, given.proposal.id))[:2] == (
        "Our text",
        [(1, ORIGINAL), (2, "Our text")],
    )


async def test_who_may_amend_and_decide_and_bad_input(session, gql):
    given = await amendable(session)
    before = await stored(session, given.proposal.id)
    member = await create_member(session)
    await session.commit()
    variables = {"input": {"proposalId": given.id, "body": "New", "rationale": "Why not"}}

    # People without a seat may not propose; bad input gets a code
    not_seated = await gql(PROPOSE, variables, as_=member)
    assert not_seated["errors"][0]["extensions"] == {"code": "FORBIDDEN"}
    assert (await propose(gql, given, "  "))["errors"] == [{"field": "body", "code": "REQUIRED"}]
    assert (await propose(gql, given, ORIGINAL))["errors"] == [
        {"field": "body", "code": "NO_CHANGE"}
    ]
    assert (await propose(gql, given, "New", " "))["errors"] == [
        {"field": "rationale", "code": "REQUIRED"}
    ]
    assert await stored(session, given.proposal.id) == before

    # The seat that proposed is not a sponsor: it may not decide; a decision is taken once
    amendment = (await propose(gql, given, "New"))["amendment"]["id"]
    by_seat = await gql(ACCEPT, {"input": {"amendmentId": amendment}}, as_=given.seat.holder)
    assert by_seat["errors"][0]["extensions"] == {"code": "FORBIDDEN"}
    assert (await decide(gql, REJECT, amendment, given.admin))["errors"] == []
    twice = await decide(gql, ACCEPT, amendment, given.sponsor)
    assert twice["errors"] == [{"field": "amendmentId", "code": "AMENDMENT_DECIDED"}]
    unknown = await decide(gql, ACCEPT, to_global_id("ProposalAmendment", 999_999), given.admin)
    assert unknown["errors"] == [{"field": "amendmentId", "code": "UNKNOWN_AMENDMENT"}]
    assert (await stored(session, given.proposal.id))[:2] == before[:2]

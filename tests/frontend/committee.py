"""The committee for browser tests: an open vote with its seats, an admin and an outsider, a
seat holder who also hosts a convening, and closing the vote."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update

from hub.domains.governance import ballot_box, voting
from hub.infrastructure.models import Affiliation, Convening, Person, Proposal, Vote
from hub.infrastructure.models.convenings import RsvpStatus
from hub.infrastructure.models.directory import AffiliationRole
from hub.infrastructure.models.governance import Ballot, VoteChoice, VotingRule
from hub.interfaces.graphql.node import to_global_id
from hub.interfaces.runtime import Runtime
from tests.convenings.factories import create_convening, create_member, create_rsvp
from tests.factories import create_admin, create_organization
from tests.frontend.flows import arrange
from tests.governance.factories import (
    SeatedOrganization,
    admin_viewer,
    create_committee,
    create_open_vote,
)


@dataclass
class OpenVote:
    proposal: Proposal
    committee: list[SeatedOrganization]
    admin: Person
    outsider: Person

    @property
    def mine(self) -> SeatedOrganization:
        return self.committee[0]

    @property
    def global_id(self) -> str:
        return to_global_id("Proposal", self.proposal.id)

    @property
    def url(self) -> str:
        return f"/proposals/{self.global_id}"


async def an_open_vote(
    runtime: Runtime,
    *,
    rule: VotingRule = VotingRule.CONSENSUS,
    ballot: Ballot = Ballot.RECORDED,
    others: tuple[VoteChoice, ...] = (VoteChoice.YES, VoteChoice.BLOCK),
) -> OpenVote:
    """A committee of four seats voting now on one proposal; the seats after the first have
    already cast `others`; the outsider is affiliated with the alliance but holds no seat."""

    async def create(session: Any) -> OpenVote:
        admin = await create_admin(session)
        committee = await create_committee(session, 4)
        for index, seated in enumerate(committee):
            seated.organization.name = f"Seat organization {index + 1}"
        outsider = await create_member(
            session, await create_organization(session, name="No Seat Org"), name="Olga Outsider"
        )
        proposal = await create_open_vote(
            session,
            rule=rule,
            ballot=ballot,
            quorum=0.5,
            admin=admin,
            title="Adopt the 2027 platform",
            body="First paragraph.\n\nSecond paragraph.",
        )
        await _cast(session, runtime, proposal, committee[1 : 1 + len(others)], others)
        return OpenVote(proposal, committee, admin, outsider)

    return await arrange(runtime, create)


async def _cast(
    session: Any,
    runtime: Runtime,
    proposal: Proposal,
    seats: list[SeatedOrganization],
    choices: tuple[VoteChoice, ...],
) -> None:
    key = ballot_box.key_for(runtime.settings)
    for seated, choice in zip(seats, choices, strict=True):
        await voting.cast_vote(
            session,
            seated.holder_viewer,
            proposal.id,
            choice,
            seat_id=None,
            ballot_key=key,
            now=datetime.now(UTC),
        )


async def close(runtime: Runtime, given: OpenVote) -> None:
    async def close_now(session: Any) -> None:
        viewer = admin_viewer(given.admin)
        await voting.close_voting(
            session,
            viewer,
            given.proposal.id,
            ballot_key=ballot_box.key_for(runtime.settings),
            now=datetime.now(UTC),
        )

    await arrange(runtime, close_now)


async def stored_votes(runtime: Runtime, given: OpenVote) -> list[tuple[int, VoteChoice | None]]:
    async with runtime.sessions() as session:
        rows = await session.execute(
            select(Vote.seat_id, Vote.choice)
            .where(Vote.proposal_id == given.proposal.id)
            .order_by(Vote.seat_id)
        )
        return [(seat_id, choice) for seat_id, choice in rows]


@dataclass
class HostOnTheCommittee:
    """A seat holder who is also the contact of the organization hosting a convening, at
    which Ana Alvarez (of the same organization) is GOING."""

    vote: OpenVote
    convening: Convening

    @property
    def person(self) -> Person:
        return self.vote.mine.holder

    @property
    def convening_url(self) -> str:
        return f"/convenings/{to_global_id('Convening', self.convening.id)}"


async def a_host_on_the_committee(runtime: Runtime) -> HostOnTheCommittee:
    vote = await an_open_vote(runtime)

    async def host(session: Any) -> Convening:
        organization = vote.mine.organization
        await session.execute(
            update(Affiliation)
            .where(Affiliation.person_id == vote.mine.holder.id)
            .values(role=AffiliationRole.CONTACT)
        )
        convening = await create_convening(session, hosts=[organization], title="Fall assembly")
        ana = await create_member(session, organization, name="Ana Alvarez")
        await create_rsvp(session, convening, ana, RsvpStatus.GOING)
        return convening

    return HostOnTheCommittee(vote, await arrange(runtime, host))

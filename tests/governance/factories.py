"""Factories for the committee: seats with their people, proposals, and open votes."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hub.access.auth.viewer import Viewer
from hub.domains.governance import ballot_box, voting
from hub.infrastructure.config import Settings
from hub.infrastructure.models import CommitteeSeat, Organization, Person, Proposal
from hub.infrastructure.models.governance import Ballot, ProposalStatus, VotingRule
from tests.conftest import TEST_SECRET
from tests.factories import affiliate, create_admin, create_organization, create_person

# The key the tests' hub seals secret ballots under (its HUB_SECRET_KEY is TEST_SECRET).
TEST_BALLOT_KEY = ballot_box.key_for(Settings(secret_key=TEST_SECRET))
_sequence = itertools.count(1)


@dataclass
class SeatedOrganization:
    organization: Organization
    seat: CommitteeSeat
    holder: Person
    alternate: Person

    @property
    def holder_viewer(self) -> Viewer:
        return seat_viewer(self.holder, self.seat)

    @property
    def alternate_viewer(self) -> Viewer:
        return seat_viewer(self.alternate, self.seat)


def seat_viewer(person: Person, *seats: CommitteeSeat) -> Viewer:
    return Viewer(
        person_id=person.id,
        affiliated_org_ids=frozenset(s.organization_id for s in seats),
        member_org_ids=frozenset(s.organization_id for s in seats),
        seat_ids=frozenset(s.id for s in seats),
    )


def admin_viewer(admin: Person) -> Viewer:
    return Viewer(person_id=admin.id, is_admin=True)


async def create_seat(session: AsyncSession, **overrides: Any) -> SeatedOrganization:
    """An organization with a seat held by one of its people, with another as alternate."""
    organization = overrides.pop("organization", None) or await create_organization(session)
    holder = await create_person(session)
    alternate = await create_person(session)
    await affiliate(session, holder, organization)
    await affiliate(session, alternate, organization)
    values: dict[str, Any] = {"holder_id": holder.id, "alternate_id": alternate.id}
    values.update(overrides)
    seat = CommitteeSeat(organization_id=organization.id, **values)
    session.add(seat)
    await session.flush()
    return SeatedOrganization(organization, seat, holder, alternate)


async def create_committee(session: AsyncSession, size: int) -> list[SeatedOrganization]:
    return [await create_seat(session) for _ in range(size)]


async def create_proposal(session: AsyncSession, **overrides: Any) -> Proposal:
    n = next(_sequence)
    values: dict[str, Any] = {
        "title": f"Proposal {n}",
        "summary": f"Summary {n}",
        "body": f"Body {n}",
        "status": ProposalStatus.DISCUSSION,
    }
    values.update(overrides)
    proposal = Proposal(**values)
    session.add(proposal)
    await session.flush()
    return proposal


async def create_open_vote(
    session: AsyncSession,
    *,
    rule: VotingRule = VotingRule.MAJORITY,
    quorum: float = 0.5,
    ballot: Ballot = Ballot.RECORDED,
    opened_at: datetime | None = None,
    closes_at: datetime | None = None,
    admin: Person | None = None,
    **overrides: Any,
) -> Proposal:
    """A proposal in DISCUSSION opened for voting through the service, so that its eligible
    seats are the active seats with a holder at that moment."""
    opened_at = opened_at or datetime.now(UTC)
    closes_at = closes_at or opened_at + timedelta(days=3)
    admin = admin or await create_admin(session)
    proposal = await create_proposal(session, **overrides)
    terms = voting.VotingTerms(rule=rule, quorum=quorum, ballot=ballot, closes_at=closes_at)
    return await voting.open_voting(
        session,
        admin_viewer(admin),
        proposal.id,
        terms,
        ballot_key=TEST_BALLOT_KEY,
        now=opened_at,
    )

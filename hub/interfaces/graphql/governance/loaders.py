"""Per-request batch loaders for the committee; each applies the viewer's row rules and
answers a whole level of a query in one statement."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, func, or_, select

from hub.access.permissions import directory as directory_rules
from hub.access.permissions import governance as rules
from hub.domains.governance import ballot_box, voting
from hub.domains.governance.amendments import visible_amendments
from hub.domains.governance.discussion import visible_comments
from hub.domains.governance.proposals import read_rows
from hub.domains.governance.tally import Result
from hub.infrastructure.models import (
    CommitteeSeat,
    EligibleSeat,
    GovernanceEvent,
    Organization,
    Proposal,
    ProposalAmendment,
    ProposalComment,
    ProposalSponsor,
    ProposalVersion,
    Vote,
)
from hub.infrastructure.models.governance import Ballot, ProposalStatus, VoteChoice
from hub.interfaces.graphql.context import Context
from hub.interfaces.graphql.loader import Loader, group_by


@dataclass(frozen=True)
class LiveCounts:
    """An open vote's numbers. `choices` holds RECORDED ballots' choices only: a SECRET
    ballot's choices are stored only sealed (hub/domains/governance/ballot_box.py) and opened only
    to count them at the close."""

    seats_eligible: int = 0
    seats_voted: int = 0
    choices: dict[VoteChoice, int] = field(default_factory=dict)


class ProposalByIdLoader(Loader[int, Proposal | None]):
    async def fetch(self, keys: Sequence[int]) -> dict[int, Proposal | None]:
        viewer = self.context.viewer
        due: dict[int, Result] = {}
        if not rules.may_see_status(viewer, ProposalStatus.VOTING):
            # Past its close a window reads as its outcome, which they may see.
            found = await self.context.loader(OutcomeByProposalIdLoader).load_many(keys)
            due = {pk: result for pk, result in zip(keys, found, strict=True) if result}
        statement = select(Proposal).where(Proposal.id.in_(keys), read_rows(viewer, due))
        return {row.id: row for row in await self.context.session.scalars(statement)}


class OutcomeByProposalIdLoader(Loader[int, Result | None]):
    """The outcome a window past its close reads as until it is stored (None: nothing to
    compute). Reads only (hub/domains/governance/voting.py `read_outcomes`): a read never closes a
    window; the worker's pass or the next write stores it. One moment, `now`, per request."""

    def __init__(self, context: Context) -> None:
        super().__init__(context)
        self.now = datetime.now(UTC)
        self._every: dict[int, Result] | None = None

    async def fetch(self, keys: Sequence[int]) -> dict[int, Result | None]:
        if self._every is not None:
            return dict(self._every)
        found = await voting.read_outcomes(
            self.context.session,
            ballot_key=ballot_box.key_for(self.context.settings),
            now=self.now,
            proposal_ids=keys,
        )
        return dict(found)

    async def every(self) -> dict[int, Result]:
        """Every window past its close and its outcome: few, those passed since the worker's
        last pass. Lists filter by status with it."""
        if self._every is None:
            self._every = await voting.read_outcomes(
                self.context.session,
                ballot_key=ballot_box.key_for(self.context.settings),
                now=self.now,
            )
        return self._every

    async def reading(self, pk: int, stored: voting.Stored) -> voting.Reading:
        """How the proposal `pk` that stores `stored` reads in this request."""
        due = voting.is_due(stored, self.now)
        return voting.as_read(stored, await self.load(pk) if due else None, self.now)


class SeatByIdLoader(Loader[int, CommitteeSeat | None]):
    async def fetch(self, keys: Sequence[int]) -> dict[int, CommitteeSeat | None]:
        statement = select(CommitteeSeat).where(
            CommitteeSeat.id.in_(keys), rules.seat_rows(self.context.viewer)
        )
        return {row.id: row for row in await self.context.session.scalars(statement)}


class SponsorsByProposalIdLoader(Loader[int, list[Organization]]):
    async def fetch(self, keys: Sequence[int]) -> dict[int, list[Organization]]:
        statement = (
            select(ProposalSponsor.proposal_id, Organization)
            .join(Organization, Organization.id == ProposalSponsor.organization_id)
            .where(
                ProposalSponsor.proposal_id.in_(keys),
                directory_rules.organization_rows(self.context.viewer),
            )
            .order_by(ProposalSponsor.proposal_id, Organization.name, Organization.id)
        )
        found: dict[int, list[Organization]] = {}
        for proposal_id, organization in await self.context.session.execute(statement):
            found.setdefault(proposal_id, []).append(organization)
        return found

    def missing(self) -> list[Organization]:
        return []


class EligibleSeatIdsByProposalIdLoader(Loader[int, list[int]]):
    async def fetch(self, keys: Sequence[int]) -> dict[int, list[int]]:
        statement = (
            select(EligibleSeat)
            .where(EligibleSeat.proposal_id.in_(keys))
            .order_by(EligibleSeat.proposal_id, EligibleSeat.seat_id)
        )
        rows = group_by(await self.context.session.scalars(statement), "proposal_id")
        return {key: [row.seat_id for row in seats] for key, seats in rows.items()}

    def missing(self) -> list[int]:
        return []


class LiveCountsByProposalIdLoader(Loader[int, LiveCounts]):
    async def fetch(self, keys: Sequence[int]) -> dict[int, LiveCounts]:
        session = self.context.session
        eligible: dict[int, int] = {
            proposal_id: counted
            for proposal_id, counted in await session.execute(
                select(EligibleSeat.proposal_id, func.count())
                .where(EligibleSeat.proposal_id.in_(keys))
                .group_by(EligibleSeat.proposal_id)
            )
        }
        voted = await session.execute(
            select(Vote.proposal_id, Vote.choice, func.count())
            .where(Vote.proposal_id.in_(keys))
            .group_by(Vote.proposal_id, Vote.choice)
        )
        seats_voted: dict[int, int] = {}
        choices: dict[int, dict[VoteChoice, int]] = {}
        for proposal_id, choice, counted in voted:
            seats_voted[proposal_id] = seats_voted.get(proposal_id, 0) + counted
            if choice is not None:
                choices.setdefault(proposal_id, {})[choice] = counted
        return {
            key: LiveCounts(eligible.get(key, 0), seats_voted.get(key, 0), choices.get(key, {}))
            for key in keys
        }

    def missing(self) -> LiveCounts:
        return LiveCounts()


async def _vote_rows(context: Context, proposal_ids: Sequence[int] | None) -> ColumnElement[bool]:
    """`rules.vote_rows`, with the votes of a RECORDED ballot that reads as closed (its window
    past its close, its outcome not stored yet) shown as they will be once it is stored."""
    viewer = context.viewer
    visible = rules.vote_rows(viewer)
    if rules.is_committee_insider(viewer) or not rules.is_member(viewer):
        return visible
    outcomes = context.loader(OutcomeByProposalIdLoader)
    if proposal_ids is None:
        due = list(await outcomes.every())
    else:
        found = await outcomes.load_many(proposal_ids)
        due = [pk for pk, result in zip(proposal_ids, found, strict=True) if result]
    if not due:
        return visible
    recorded = select(Proposal.id).where(Proposal.id.in_(due), Proposal.ballot == Ballot.RECORDED)
    return or_(visible, Vote.proposal_id.in_(recorded))


class VotesByProposalIdLoader(Loader[int, list[Vote]]):
    async def fetch(self, keys: Sequence[int]) -> dict[int, list[Vote]]:
        statement = (
            select(Vote)
            .where(Vote.proposal_id.in_(keys), await _vote_rows(self.context, keys))
            .order_by(Vote.proposal_id, Vote.seat_id)
        )
        return group_by(await self.context.session.scalars(statement), "proposal_id")

    def missing(self) -> list[Vote]:
        return []


class VoteByIdLoader(Loader[int, Vote | None]):
    async def fetch(self, keys: Sequence[int]) -> dict[int, Vote | None]:
        rows = await _vote_rows(self.context, None)
        statement = select(Vote).where(Vote.id.in_(keys), rows)
        return {row.id: row for row in await self.context.session.scalars(statement)}


class EventsByProposalIdLoader(Loader[int, list[GovernanceEvent]]):
    async def fetch(self, keys: Sequence[int]) -> dict[int, list[GovernanceEvent]]:
        statement = (
            select(GovernanceEvent)
            .where(GovernanceEvent.proposal_id.in_(keys), rules.event_rows(self.context.viewer))
            .order_by(GovernanceEvent.proposal_id, GovernanceEvent.id)
        )
        return group_by(await self.context.session.scalars(statement), "proposal_id")

    def missing(self) -> list[GovernanceEvent]:
        return []


class EventByIdLoader(Loader[int, GovernanceEvent | None]):
    async def fetch(self, keys: Sequence[int]) -> dict[int, GovernanceEvent | None]:
        statement = select(GovernanceEvent).where(
            GovernanceEvent.id.in_(keys), rules.event_rows(self.context.viewer)
        )
        return {row.id: row for row in await self.context.session.scalars(statement)}


class CommentsByProposalIdLoader(Loader[int, list[ProposalComment]]):
    """A proposal's threads: its top-level comments, oldest first."""

    async def fetch(self, keys: Sequence[int]) -> dict[int, list[ProposalComment]]:
        statement = (
            visible_comments(self.context.viewer)
            .where(ProposalComment.proposal_id.in_(keys), ProposalComment.parent_id.is_(None))
            .order_by(ProposalComment.proposal_id, ProposalComment.id)
        )
        return group_by(await self.context.session.scalars(statement), "proposal_id")

    def missing(self) -> list[ProposalComment]:
        return []


class RepliesByCommentIdLoader(Loader[int, list[ProposalComment]]):
    async def fetch(self, keys: Sequence[int]) -> dict[int, list[ProposalComment]]:
        statement = (
            visible_comments(self.context.viewer)
            .where(ProposalComment.parent_id.in_(keys))
            .order_by(ProposalComment.parent_id, ProposalComment.id)
        )
        return group_by(await self.context.session.scalars(statement), "parent_id")

    def missing(self) -> list[ProposalComment]:
        return []


class CommentByIdLoader(Loader[int, ProposalComment | None]):
    async def fetch(self, keys: Sequence[int]) -> dict[int, ProposalComment | None]:
        statement = visible_comments(self.context.viewer).where(ProposalComment.id.in_(keys))
        return {row.id: row for row in await self.context.session.scalars(statement)}


class AmendmentsByProposalIdLoader(Loader[int, list[ProposalAmendment]]):
    async def fetch(self, keys: Sequence[int]) -> dict[int, list[ProposalAmendment]]:
        statement = (
            visible_amendments(self.context.viewer)
            .where(ProposalAmendment.proposal_id.in_(keys))
            .order_by(ProposalAmendment.proposal_id, ProposalAmendment.id)
        )
        return group_by(await self.context.session.scalars(statement), "proposal_id")

    def missing(self) -> list[ProposalAmendment]:
        return []


class AmendmentByIdLoader(Loader[int, ProposalAmendment | None]):
    async def fetch(self, keys: Sequence[int]) -> dict[int, ProposalAmendment | None]:
        statement = visible_amendments(self.context.viewer).where(ProposalAmendment.id.in_(keys))
        return {row.id: row for row in await self.context.session.scalars(statement)}


class VersionsByProposalIdLoader(Loader[int, list[ProposalVersion]]):
    """The stored versions of proposals' text, by number (none for a text never changed).
    Called only from a proposal the viewer sees, so it needs no row rule of its own."""

    async def fetch(self, keys: Sequence[int]) -> dict[int, list[ProposalVersion]]:
        statement = (
            select(ProposalVersion)
            .where(ProposalVersion.proposal_id.in_(keys))
            .order_by(ProposalVersion.proposal_id, ProposalVersion.number)
        )
        return group_by(await self.context.session.scalars(statement), "proposal_id")

    def missing(self) -> list[ProposalVersion]:
        return []

"""The committee as the API shows it: seats, proposals, their tallies, votes and audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from hub.access.permissions import governance as rules
from hub.common.rendering.markdown import markdown_html
from hub.domains.governance import voting
from hub.domains.governance.tally import Result, quorum_threshold
from hub.infrastructure import models
from hub.interfaces.graphql.context import Context
from hub.interfaces.graphql.convenings.loaders import ConveningByIdLoader
from hub.interfaces.graphql.convenings.types import Convening
from hub.interfaces.graphql.directory.loaders import OrganizationByIdLoader, PersonByIdLoader
from hub.interfaces.graphql.directory.types import Organization, Person
from hub.interfaces.graphql.errors import UserError
from hub.interfaces.graphql.governance.enums import (
    AmendmentStatus,
    Ballot,
    CommentStatus,
    GovernanceAction,
    GovernanceErrorCode,
    ProposalOutcome,
    ProposalStatus,
    VoteChoice,
    VoterRole,
    VotingRule,
)
from hub.interfaces.graphql.governance.loaders import (
    AmendmentByIdLoader,
    AmendmentsByProposalIdLoader,
    CommentByIdLoader,
    CommentsByProposalIdLoader,
    EligibleSeatIdsByProposalIdLoader,
    EventByIdLoader,
    EventsByProposalIdLoader,
    LiveCounts,
    LiveCountsByProposalIdLoader,
    OutcomeByProposalIdLoader,
    ProposalByIdLoader,
    RepliesByCommentIdLoader,
    SeatByIdLoader,
    SponsorsByProposalIdLoader,
    VersionsByProposalIdLoader,
    VoteByIdLoader,
    VotesByProposalIdLoader,
)
from hub.interfaces.graphql.node import (
    InvalidGlobalId,
    Node,
    loaded_by,
    pk_of,
    register_node,
    to_global_id,
)

if TYPE_CHECKING:
    from hub.interfaces.graphql.governance.register import FollowUpAction

Info = strawberry.Info[Context, None]

QUORUM_DESCRIPTION = (
    "The share of the eligible seats that must vote (0 < quorum <= 1, three decimals). The "
    "threshold is quorum x seats eligible rounded UP to a whole seat: 0.5 of 5 seats is 3, "
    "0.6 of 5 is 3, 0.667 of 3 is 3. ABSTAIN counts toward quorum."
)


@strawberry.type(
    description=(
        "One organization's seat on the Coordinating Committee, held by one of its people with "
        "an alternate. A vacated seat stays (inactive) so that its past votes keep their seat."
    )
)
class CommitteeSeat(Node):
    pk: strawberry.Private[int]
    active: bool = strawberry.field(description="False once the seat has been vacated.")
    organization_pk: strawberry.Private[int]
    holder_pk: strawberry.Private[int | None]
    alternate_pk: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, model: models.CommitteeSeat) -> CommitteeSeat:
        return cls(
            id=to_global_id("CommitteeSeat", model.id),
            pk=model.id,
            active=model.active,
            organization_pk=model.organization_id,
            holder_pk=model.holder_id,
            alternate_pk=model.alternate_id,
        )

    @strawberry.field
    async def organization(self, info: Info) -> Organization:
        row = await info.context.loader(OrganizationByIdLoader).load(self.organization_pk)
        if row is None:  # organizations are public; a seat always has one
            raise LookupError(f"seat {self.pk} has no organization")
        return Organization.from_model(row)

    @strawberry.field(description="Null when vacant, or for viewers who may not see people.")
    async def holder(self, info: Info) -> Person | None:
        return await _person(info, self.holder_pk)

    @strawberry.field(description="Null when none, or for viewers who may not see people.")
    async def alternate(self, info: Info) -> Person | None:
        return await _person(info, self.alternate_pk)


async def _person(info: Info, pk: int | None) -> Person | None:
    if pk is None:
        return None
    row = await info.context.loader(PersonByIdLoader).load(pk)
    return Person.from_model(row) if row else None


@strawberry.type(
    description=(
        "A vote's numbers. While voting is open they are live: the per-choice counts show only "
        "on a RECORDED ballot, to admins and committee members (null otherwise); a SECRET "
        "ballot's counts appear only once voting has closed. Once closed (`final`), the numbers "
        "are the stored result, computed once at the close and never changed."
    )
)
class Tally:
    final: bool = strawberry.field(description="Whether voting has closed and this is the result.")
    seats_eligible: int = strawberry.field(
        description=(
            "The seats that may vote: active seats with a holder when voting opened (in a "
            "meeting, those of them present or represented by proxy then)."
        )
    )
    seats_voted: int = strawberry.field(description="Seats that have voted, ABSTAIN included.")
    quorum_threshold: int = strawberry.field(
        description="Seats that must vote: ceil(quorum x seats eligible)."
    )
    quorum_met: bool = strawberry.field(description="seatsVoted >= quorumThreshold (so far).")
    yes: int | None
    no: int | None
    abstain: int | None
    block: int | None
    outcome: ProposalOutcome | None = strawberry.field(
        description="Once closed: ADOPTED or REJECTED (always REJECTED without quorum)."
    )

    @classmethod
    def final_result(cls, result: Result) -> Tally:
        return cls(
            final=True,
            seats_eligible=result.seats_eligible,
            seats_voted=result.seats_voted,
            quorum_threshold=result.quorum_threshold,
            quorum_met=result.quorum_met,
            yes=result.yes,
            no=result.no,
            abstain=result.abstain,
            block=result.block,
            outcome=ProposalOutcome(result.outcome),
        )

    @classmethod
    def live(cls, counts: LiveCounts, threshold: int, *, show_choices: bool) -> Tally:
        def shown(choice: models.governance.VoteChoice) -> int | None:
            return counts.choices.get(choice, 0) if show_choices else None

        return cls(
            final=False,
            seats_eligible=counts.seats_eligible,
            seats_voted=counts.seats_voted,
            quorum_threshold=threshold,
            quorum_met=counts.seats_voted >= threshold,
            yes=shown(models.governance.VoteChoice.YES),
            no=shown(models.governance.VoteChoice.NO),
            abstain=shown(models.governance.VoteChoice.ABSTAIN),
            block=shown(models.governance.VoteChoice.BLOCK),
            outcome=None,
        )


@strawberry.type(
    description=(
        "A proposal before the Coordinating Committee. Its text is frozen once voting opens; "
        "the outcome is computed once, when voting closes, and never changes."
    )
)
class Proposal(Node):
    pk: strawberry.Private[int]
    title: str
    summary: str
    body: str = strawberry.field(description="Markdown.")
    origin_convening_id: strawberry.ID | None = strawberry.field(
        description="The global id of the convening the proposal emerged from."
    )
    voting_rule: VotingRule | None
    quorum: float | None = strawberry.field(description=QUORUM_DESCRIPTION)
    ballot: Ballot | None
    voting_opens_at: datetime | None = strawberry.field(
        description=(
            "When voting opens: the moment an admin opened it, or the later start they gave "
            "(no vote is taken before it)."
        )
    )
    voting_closes_at: datetime | None = strawberry.field(
        description="The end of the window: no vote is accepted at or after it."
    )
    created_at: datetime
    updated_at: datetime
    _stored: strawberry.Private[voting.Stored]
    _origin_convening_pk: strawberry.Private[int | None]
    _created_by_pk: strawberry.Private[int | None]
    _meeting_pk: strawberry.Private[int | None] = None

    @classmethod
    def from_model(cls, model: models.Proposal) -> Proposal:
        convening = model.origin_convening_id
        return cls(
            id=to_global_id("Proposal", model.id),
            pk=model.id,
            title=model.title,
            summary=model.summary,
            body=model.body,
            origin_convening_id=to_global_id("Convening", convening) if convening else None,
            voting_rule=model.voting_rule,
            quorum=model.quorum,
            ballot=model.ballot,
            voting_opens_at=model.voting_opened_at,
            voting_closes_at=model.voting_closes_at,
            created_at=model.created_at,
            updated_at=model.updated_at,
            _stored=voting.Stored.of(model),
            _origin_convening_pk=convening,
            _created_by_pk=model.created_by_id,
            _meeting_pk=model.meeting_id,
        )

    async def _reading(self, info: Info) -> voting.Reading:
        """A window past its close reads as closed, its outcome computed in the read (nothing
        is written: the worker's pass or the next write stores it)."""
        return await info.context.loader(OutcomeByProposalIdLoader).reading(self.pk, self._stored)

    @strawberry.field(
        description=(
            "Where it stands. A window past its close reads as closed (ADOPTED or REJECTED, "
            "computed from the votes) from that moment, before the outcome is stored."
        )
    )
    async def status(self, info: Info) -> ProposalStatus:
        return (await self._reading(info)).status

    @strawberry.field(
        description=(
            "When voting closed and its result was computed: the window's end, or the moment "
            "an admin closed it early."
        )
    )
    async def closed_at(self, info: Info) -> datetime | None:
        return (await self._reading(info)).closed_at

    @strawberry.field(
        description=(
            "`body` rendered from Markdown to HTML and sanitized: headings, lists, links "
            '(http, https and mailto only, rel="nofollow noopener"), emphasis, code and '
            "tables; raw HTML shows as text and images are off."
        )
    )
    def body_html(self) -> str:
        return str(markdown_html(self.body))

    @strawberry.field(
        description="The convening it emerged from; null when none or when it is hidden from you."
    )
    async def origin_convening(self, info: Info) -> Convening | None:
        if self._origin_convening_pk is None:
            return None
        row = await info.context.loader(ConveningByIdLoader).load(self._origin_convening_pk)
        return Convening.from_model(row) if row else None

    @strawberry.field(
        description=(
            "The committee meeting it is voted in, chosen when voting opens: its quorum is over "
            "the seats present or represented there then. Null when voted online."
        )
    )
    async def meeting(self, info: Info) -> Convening | None:
        if self._meeting_pk is None:
            return None
        row = await info.context.loader(ConveningByIdLoader).load(self._meeting_pk)
        return Convening.from_model(row) if row else None

    @strawberry.field(description="The organizations sponsoring it.")
    async def sponsors(self, info: Info) -> list[Organization]:
        rows = await info.context.loader(SponsorsByProposalIdLoader).load(self.pk)
        return [Organization.from_model(row) for row in rows]

    @strawberry.field(description="Null until voting opens. See `Tally` for who sees what.")
    async def tally(self, info: Info) -> Tally | None:
        reading = await self._reading(info)
        if reading.result is not None:
            return Tally.final_result(Result.from_json(reading.result))
        if self.voting_opens_at is None or self.quorum is None:
            return None
        counts = await info.context.loader(LiveCountsByProposalIdLoader).load(self.pk)
        show = rules.may_see_live_counts(info.context.viewer, self.ballot)
        threshold = quorum_threshold(self.quorum, counts.seats_eligible)
        return Tally.live(counts, threshold, show_choices=show)

    @strawberry.field(
        description=(
            "The seats that have voted, seen by admins and committee members (and, after a "
            "RECORDED ballot closes, by signed-in people of member organizations). A SECRET "
            "ballot's votes never carry their choice."
        )
    )
    async def votes(self, info: Info) -> list[Vote]:
        rows = await info.context.loader(VotesByProposalIdLoader).load(self.pk)
        return [Vote.from_model(row) for row in rows]

    @strawberry.field(
        description=(
            "The viewer's own seats that may vote on it (all their active seats before voting "
            "opens). Empty for people without a seat."
        )
    )
    async def viewer_seats(self, info: Info) -> list[CommitteeSeat]:
        seat_ids = await self._viewer_seat_ids(info)
        rows = await info.context.loader(SeatByIdLoader).load_many(seat_ids)
        return [CommitteeSeat.from_model(row) for row in rows if row is not None]

    @strawberry.field(
        description=(
            "Your seat's vote (the first of your seats, or the one named), or null if it has not "
            "voted. On a SECRET ballot the choice stays null even for you."
        )
    )
    async def viewer_vote(
        self,
        info: Info,
        seat_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="One of `viewerSeats`.")
        ] = None,
    ) -> Vote | None:
        seat_ids = await self._viewer_seat_ids(info)
        if seat_id is not None:
            seat_ids = [pk for pk in seat_ids if pk == _seat_pk(seat_id)]
        votes = await info.context.loader(VotesByProposalIdLoader).load(self.pk)
        by_seat = {vote.seat_id: vote for vote in votes}
        mine = [by_seat[pk] for pk in seat_ids if pk in by_seat]
        return Vote.from_model(mine[0]) if mine else None

    @strawberry.field(
        description=(
            "Its discussion: the comments that begin a thread, oldest first, each with its "
            "replies. Seen by admins, committee members and members; empty for others."
        )
    )
    async def comments(self, info: Info) -> list[ProposalComment]:
        rows = await info.context.loader(CommentsByProposalIdLoader).load(self.pk)
        return [ProposalComment.from_model(row) for row in rows]

    @strawberry.field(
        description=(
            "Its follow-up actions once decided (see `decisionRegister`), by due date: empty "
            "where the viewer may not see its register entry."
        )
    )
    async def actions(
        self, info: Info
    ) -> list[
        Annotated[FollowUpAction, strawberry.lazy("hub.interfaces.graphql.governance.register")]
    ]:
        from hub.interfaces.graphql.governance.register import actions_of

        return await actions_of(info, self.pk)

    @strawberry.field(description="The amendments proposed to its text, oldest first.")
    async def amendments(self, info: Info) -> list[ProposalAmendment]:
        rows = await info.context.loader(AmendmentsByProposalIdLoader).load(self.pk)
        return [ProposalAmendment.from_model(row) for row in rows]

    @strawberry.field(
        description=(
            "Every version of its text, oldest first: version 1 as first written, then one per "
            "accepted amendment or edit. The last is `body`; it freezes when voting opens."
        )
    )
    async def versions(self, info: Info) -> list[ProposalVersion]:
        rows = await info.context.loader(VersionsByProposalIdLoader).load(self.pk)
        if not rows:
            return [ProposalVersion(number=1, body=self.body, created_at=self.created_at)]
        return [ProposalVersion.from_model(row) for row in rows]

    @strawberry.field(description="The number of the text's current version (see `versions`).")
    async def version(self, info: Info) -> int:
        rows = await info.context.loader(VersionsByProposalIdLoader).load(self.pk)
        return rows[-1].number if rows else 1

    @strawberry.field(
        description="Whether you may comment now: it is in DISCUSSION and you are a member."
    )
    async def viewer_may_comment(self, info: Info) -> bool:
        return rules.may_discuss(info.context.viewer, (await self._reading(info)).status)

    @strawberry.field(
        description="Whether you may propose an amendment now: a seat's, in DRAFT or DISCUSSION."
    )
    async def viewer_may_amend(self, info: Info) -> bool:
        return rules.may_amend(info.context.viewer, (await self._reading(info)).status)

    @strawberry.field(
        description=(
            "Whether you may change its text, sponsors and origin, or move it between DRAFT and "
            "DISCUSSION or to WITHDRAWN, now: admins and committee members, until voting opens."
        )
    )
    async def viewer_may_edit(self, info: Info) -> bool:
        return rules.may_edit_proposal(info.context.viewer, (await self._reading(info)).status)

    @strawberry.field(description="Whether you may open voting now: admins, in DISCUSSION.")
    async def viewer_may_open_voting(self, info: Info) -> bool:
        return rules.may_open_voting(info.context.viewer, (await self._reading(info)).status)

    @strawberry.field(description="Whether you may close voting early now: admins, in VOTING.")
    async def viewer_may_close_voting(self, info: Info) -> bool:
        return rules.may_close_voting(info.context.viewer, (await self._reading(info)).status)

    @strawberry.field(
        description=(
            "Whether you may accept or reject its amendments: admins, its author, and people "
            "of its sponsoring organizations."
        )
    )
    async def viewer_decides_amendments(self, info: Info) -> bool:
        sponsors = await info.context.loader(SponsorsByProposalIdLoader).load(self.pk)
        sponsor_ids = frozenset(row.id for row in sponsors)
        return rules.may_decide_amendments(info.context.viewer, self._created_by_pk, sponsor_ids)

    @strawberry.field(description="What happened to it, oldest first: admins and committee only.")
    async def audit_trail(self, info: Info) -> list[GovernanceEvent] | None:
        if not rules.is_committee_insider(info.context.viewer):
            return None
        rows = await info.context.loader(EventsByProposalIdLoader).load(self.pk)
        return [GovernanceEvent.from_model(row) for row in rows]

    async def _viewer_seat_ids(self, info: Info) -> list[int]:
        mine = sorted(info.context.viewer.seat_ids)
        if not mine or self.voting_opens_at is None:
            return mine
        eligible = await info.context.loader(EligibleSeatIdsByProposalIdLoader).load(self.pk)
        return [pk for pk in mine if pk in eligible]


def _seat_pk(global_id: str) -> int | None:
    try:
        return pk_of(global_id, "CommitteeSeat")
    except InvalidGlobalId:
        return None


@strawberry.type(
    description=(
        "A seat's vote on a proposal: one per seat, cast by its holder or alternate, replaced "
        "by a later vote until the window closes. `choice` is null on a SECRET ballot, always."
    )
)
class Vote(Node):
    pk: strawberry.Private[int]
    choice: VoteChoice | None
    reason: str | None = strawberry.field(
        description="The voter's short reason; always null on a SECRET ballot."
    )
    seat_pk: strawberry.Private[int]
    proposal_pk: strawberry.Private[int]
    cast_by_pk: strawberry.Private[int | None]
    cast_as: VoterRole | None = strawberry.field(
        default=None,
        description="Whether its holder, its alternate or a proxy cast it (null before proxies).",
    )

    @classmethod
    def from_model(cls, model: models.Vote) -> Vote:
        return cls(
            id=to_global_id("Vote", model.id),
            pk=model.id,
            choice=model.choice,
            reason=model.reason,
            seat_pk=model.seat_id,
            proposal_pk=model.proposal_id,
            cast_by_pk=model.cast_by_id,
            cast_as=model.cast_as,
        )

    @strawberry.field
    async def seat(self, info: Info) -> CommitteeSeat | None:
        return await _seat(info, self.seat_pk)

    @strawberry.field
    async def proposal(self, info: Info) -> Proposal | None:
        return await _proposal(info, self.proposal_pk)

    @strawberry.field(description="Whoever of the holder and alternate cast it last.")
    async def cast_by(self, info: Info) -> Person | None:
        return await _person(info, self.cast_by_pk)


@strawberry.type(
    description=(
        "One entry of the committee's audit trail, read by admins and committee members. On a "
        "SECRET ballot a vote entry never carries the choice."
    )
)
class GovernanceEvent(Node):
    pk: strawberry.Private[int]
    action: GovernanceAction
    detail: str
    created_at: datetime
    proposal_pk: strawberry.Private[int | None]
    seat_pk: strawberry.Private[int | None]
    actor_pk: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, model: models.GovernanceEvent) -> GovernanceEvent:
        return cls(
            id=to_global_id("GovernanceEvent", model.id),
            pk=model.id,
            action=model.action,
            detail=model.detail,
            created_at=model.created_at,
            proposal_pk=model.proposal_id,
            seat_pk=model.seat_id,
            actor_pk=model.actor_id,
        )

    @strawberry.field
    async def proposal(self, info: Info) -> Proposal | None:
        return await _proposal(info, self.proposal_pk)

    @strawberry.field
    async def seat(self, info: Info) -> CommitteeSeat | None:
        return await _seat(info, self.seat_pk)

    @strawberry.field(description="Who acted; null when the hub acted (a window passing).")
    async def actor(self, info: Info) -> Person | None:
        return await _person(info, self.actor_pk)


async def _seat(info: Info, pk: int | None) -> CommitteeSeat | None:
    row = await info.context.loader(SeatByIdLoader).load(pk) if pk is not None else None
    return CommitteeSeat.from_model(row) if row else None


async def _proposal(info: Info, pk: int | None) -> Proposal | None:
    row = await info.context.loader(ProposalByIdLoader).load(pk) if pk is not None else None
    return Proposal.from_model(row) if row else None


@strawberry.type(
    description=(
        "A comment in a proposal's discussion, or a reply to one (threads are one level deep). "
        "Markdown, like proposal bodies."
    )
)
class ProposalComment(Node):
    pk: strawberry.Private[int]
    status: CommentStatus
    hidden_reason: str | None = strawberry.field(
        description="Why an admin hid it; null unless HIDDEN."
    )
    created_at: datetime
    edited_at: datetime | None = strawberry.field(description="When its author last edited it.")
    _body: strawberry.Private[str]
    _author_pk: strawberry.Private[int | None]
    _proposal_pk: strawberry.Private[int]
    _parent_pk: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, model: models.ProposalComment) -> ProposalComment:
        return cls(
            id=to_global_id("ProposalComment", model.id),
            pk=model.id,
            status=model.status,
            hidden_reason=model.hidden_reason,
            created_at=model.created_at,
            edited_at=model.edited_at,
            _body=model.body,
            _author_pk=model.author_id,
            _proposal_pk=model.proposal_id,
            _parent_pk=model.parent_id,
        )

    def _shown_body(self, info: Info) -> str | None:
        readable = rules.may_read_comment_text(info.context.viewer, self.status)
        return self._body if readable else None

    @strawberry.field(description="Markdown; null once WITHDRAWN or HIDDEN (admins see it).")
    def body(self, info: Info) -> str | None:
        return self._shown_body(info)

    @strawberry.field(description="`body` rendered and sanitized, as `Proposal.bodyHtml`.")
    def body_html(self, info: Info) -> str | None:
        shown = self._shown_body(info)
        return None if shown is None else str(markdown_html(shown))

    @strawberry.field(description="Whether you wrote it (and so may edit or withdraw it).")
    def viewer_is_author(self, info: Info) -> bool:
        viewer = info.context.viewer
        return viewer.person_id is not None and viewer.person_id == self._author_pk

    @strawberry.field
    async def author(self, info: Info) -> Person | None:
        return await _person(info, self._author_pk)

    @strawberry.field
    async def proposal(self, info: Info) -> Proposal | None:
        return await _proposal(info, self._proposal_pk)

    @strawberry.field(description="The comment this replies to; null for one that begins a thread.")
    async def parent(self, info: Info) -> ProposalComment | None:
        if self._parent_pk is None:
            return None
        row = await info.context.loader(CommentByIdLoader).load(self._parent_pk)
        return ProposalComment.from_model(row) if row else None

    @strawberry.field(description="The replies to a comment that begins a thread, oldest first.")
    async def replies(self, info: Info) -> list[ProposalComment]:
        if self._parent_pk is not None:
            return []
        rows = await info.context.loader(RepliesByCommentIdLoader).load(self.pk)
        return [ProposalComment.from_model(row) for row in rows]


@strawberry.type(
    description=(
        "A seat's proposed replacement of a proposal's text, with its rationale, written "
        "against one version of the text. Accepted, it becomes the next version."
    )
)
class ProposalAmendment(Node):
    pk: strawberry.Private[int]
    body: str = strawberry.field(description="The whole text it proposes, in Markdown.")
    rationale: str
    status: AmendmentStatus
    base_version: int = strawberry.field(description="The version of the text it amends.")
    created_at: datetime
    decided_at: datetime | None
    _proposal_pk: strawberry.Private[int]
    _seat_pk: strawberry.Private[int | None]
    _proposed_by_pk: strawberry.Private[int | None]
    _decided_by_pk: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, model: models.ProposalAmendment) -> ProposalAmendment:
        return cls(
            id=to_global_id("ProposalAmendment", model.id),
            pk=model.id,
            body=model.body,
            rationale=model.rationale,
            status=model.status,
            base_version=model.base_version,
            created_at=model.created_at,
            decided_at=model.decided_at,
            _proposal_pk=model.proposal_id,
            _seat_pk=model.seat_id,
            _proposed_by_pk=model.proposed_by_id,
            _decided_by_pk=model.decided_by_id,
        )

    @strawberry.field(description="`body` rendered and sanitized, as `Proposal.bodyHtml`.")
    def body_html(self) -> str:
        return str(markdown_html(self.body))

    @strawberry.field(description="The version it became, once ACCEPTED.")
    async def version(self, info: Info) -> int | None:
        rows = await info.context.loader(VersionsByProposalIdLoader).load(self._proposal_pk)
        return next((row.number for row in rows if row.amendment_id == self.pk), None)

    @strawberry.field
    async def proposal(self, info: Info) -> Proposal | None:
        return await _proposal(info, self._proposal_pk)

    @strawberry.field(description="The seat it was proposed for.")
    async def seat(self, info: Info) -> CommitteeSeat | None:
        return await _seat(info, self._seat_pk)

    @strawberry.field(description="The seat's holder or alternate who proposed it.")
    async def proposed_by(self, info: Info) -> Person | None:
        return await _person(info, self._proposed_by_pk)

    @strawberry.field(description="Who accepted or rejected it.")
    async def decided_by(self, info: Info) -> Person | None:
        return await _person(info, self._decided_by_pk)


@strawberry.type(description="One version of a proposal's text.")
class ProposalVersion:
    number: int = strawberry.field(description="1 for the text as first written, then 2, 3 ...")
    body: str = strawberry.field(description="Markdown.")
    created_at: datetime
    _amendment_pk: strawberry.Private[int | None] = None
    _created_by_pk: strawberry.Private[int | None] = None

    @classmethod
    def from_model(cls, model: models.ProposalVersion) -> ProposalVersion:
        return cls(
            number=model.number,
            body=model.body,
            created_at=model.created_at,
            _amendment_pk=model.amendment_id,
            _created_by_pk=model.created_by_id,
        )

    @strawberry.field(description="`body` rendered and sanitized, as `Proposal.bodyHtml`.")
    def body_html(self) -> str:
        return str(markdown_html(self.body))

    @strawberry.field(description="The accepted amendment that made it; null for an edit.")
    async def amendment(self, info: Info) -> ProposalAmendment | None:
        if self._amendment_pk is None:
            return None
        row = await info.context.loader(AmendmentByIdLoader).load(self._amendment_pk)
        return ProposalAmendment.from_model(row) if row else None

    @strawberry.field(description="Who wrote it, or accepted the amendment that made it.")
    async def created_by(self, info: Info) -> Person | None:
        return await _person(info, self._created_by_pk)


@strawberry.type(description="A mistake in a governance action.")
class GovernanceError(UserError):
    code: GovernanceErrorCode


register_node("CommitteeSeat", loaded_by(SeatByIdLoader, CommitteeSeat.from_model))
register_node("Proposal", loaded_by(ProposalByIdLoader, Proposal.from_model))
register_node("Vote", loaded_by(VoteByIdLoader, Vote.from_model))
register_node("GovernanceEvent", loaded_by(EventByIdLoader, GovernanceEvent.from_model))
register_node("ProposalComment", loaded_by(CommentByIdLoader, ProposalComment.from_model))
register_node("ProposalAmendment", loaded_by(AmendmentByIdLoader, ProposalAmendment.from_model))

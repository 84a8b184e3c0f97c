"""The committee's mutations: seats, proposals, and voting windows. Each returns its payload
errors (`GovernanceErrorCode`) for what the caller can fix; refusals are GraphQL errors."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import strawberry

from hub.common.errors import InputError
from hub.common.unset import UNSET, Maybe
from hub.domains.governance import amendments as amendment_service
from hub.domains.governance import ballot_box, receipts, voting
from hub.domains.governance import discussion as discussion_service
from hub.domains.governance import proposals as proposal_service
from hub.domains.governance import seats as seat_service
from hub.domains.governance.errors import GovernanceErrorCode as Code
from hub.infrastructure.models.governance import Ballot as BallotRow
from hub.interfaces.graphql.context import Context
from hub.interfaces.graphql.governance.inputs import (
    AddCommentInput,
    AssignSeatInput,
    CastVoteInput,
    CloseVotingInput,
    CreateProposalInput,
    DecideAmendmentInput,
    EditCommentInput,
    HideCommentInput,
    OpenVotingInput,
    ProposeAmendmentInput,
    UpdateProposalInput,
    VacateSeatInput,
    WithdrawCommentInput,
)
from hub.interfaces.graphql.governance.meetings import meeting_pk
from hub.interfaces.graphql.governance.types import (
    CommitteeSeat,
    GovernanceError,
    Proposal,
    ProposalAmendment,
    ProposalComment,
    Vote,
)
from hub.interfaces.graphql.mutation import attempt, input_pk

Info = strawberry.Info[Context, None]


@strawberry.type
class AssignSeatPayload:
    seat: CommitteeSeat | None
    errors: list[GovernanceError]


@strawberry.type
class VacateSeatPayload:
    seat: CommitteeSeat | None
    errors: list[GovernanceError]


@strawberry.type
class ProposalPayload:
    proposal: Proposal | None
    errors: list[GovernanceError]


@strawberry.type
class CastVotePayload:
    vote: Vote | None = strawberry.field(description="The seat's vote, as you may see it.")
    proposal: Proposal | None
    errors: list[GovernanceError]
    receipt_code: str | None = strawberry.field(
        default=None,
        description=(
            "On a SECRET ballot, this vote's receipt code, shown this once: after the close, "
            "`ballotReceipt` tells its holder that the vote was counted as cast. A later vote "
            "of the seat replaces it."
        ),
    )


@strawberry.type
class CommentPayload:
    comment: ProposalComment | None
    errors: list[GovernanceError]


@strawberry.type
class AmendmentPayload:
    amendment: ProposalAmendment | None
    proposal: Proposal | None = strawberry.field(description="The proposal, as it stands now.")
    errors: list[GovernanceError]


def _errors(errors: list[InputError]) -> list[GovernanceError]:
    return [GovernanceError(field=e.field, code=e.code, message=e.message) for e in errors]  # type: ignore[arg-type]


def _now() -> datetime:
    return datetime.now(UTC)


def _proposal_pk(global_id: str, field: str = "proposalId") -> int:
    return input_pk(global_id, "Proposal", field, Code.UNKNOWN_PROPOSAL)


def _person_pk(global_id: str | None, field: str) -> int | None:
    return None if global_id is None else input_pk(global_id, "Person", field, Code.UNKNOWN_PERSON)


def _organization_pks(global_ids: list[strawberry.ID]) -> list[int]:
    return [
        input_pk(g, "Organization", "sponsorOrganizationIds", Code.UNKNOWN_ORGANIZATION)
        for g in global_ids
    ]


def _convening_pk(global_id: str | None) -> int | None:
    if global_id is None:
        return None
    return input_pk(global_id, "Convening", "originConveningId", Code.UNKNOWN_CONVENING)


def _given(value: Any) -> Maybe[Any]:
    return UNSET if value is strawberry.UNSET else value


def _update_changes(input: UpdateProposalInput) -> proposal_service.ProposalChanges:
    sponsors = _given(input.sponsor_organization_ids)
    convening = _given(input.origin_convening_id)
    status = _given(input.status)
    if status is None:
        raise InputError("status", Code.INVALID_STATUS_CHANGE, "The status cannot be cleared.")
    return proposal_service.ProposalChanges(
        title=_given(input.title),
        summary=_given(input.summary),
        body=_given(input.body),
        sponsor_organization_ids=(
            sponsors if sponsors is UNSET else _organization_pks(sponsors or [])
        ),
        origin_convening_id=convening if convening is UNSET else _convening_pk(convening),
        status=status,
    )


@strawberry.type
class GovernanceMutation:
    @strawberry.mutation(
        description=(
            "Fills, reassigns or (with a null holder) vacates an organization's committee seat. "
            "Admins only."
        )
    )
    async def assign_seat(self, info: Info, input: AssignSeatInput) -> AssignSeatPayload:
        context = info.context

        async def assign() -> Any:
            assignment = seat_service.SeatAssignment(
                organization_id=input_pk(
                    input.organization_id,
                    "Organization",
                    "organizationId",
                    Code.UNKNOWN_ORGANIZATION,
                ),
                holder_id=_person_pk(input.holder_id, "holderId"),
                alternate_id=_person_pk(input.alternate_id, "alternateId"),
            )
            return await seat_service.assign_seat(
                context.session, context.viewer, assignment, now=_now()
            )

        seat, errors = await attempt(context, assign)
        wrapped = CommitteeSeat.from_model(seat) if seat else None
        return AssignSeatPayload(seat=wrapped, errors=_errors(errors))

    @strawberry.mutation(
        description=(
            "Vacates an organization's committee seat (UNKNOWN_SEAT when it has none); "
            "vacating it again changes nothing. Admins only."
        )
    )
    async def vacate_seat(self, info: Info, input: VacateSeatInput) -> VacateSeatPayload:
        context = info.context

        async def vacate() -> Any:
            organization_id = input_pk(
                input.organization_id, "Organization", "organizationId", Code.UNKNOWN_ORGANIZATION
            )
            return await seat_service.vacate_seat(
                context.session, context.viewer, organization_id, now=_now()
            )

        seat, errors = await attempt(context, vacate)
        wrapped = CommitteeSeat.from_model(seat) if seat else None
        return VacateSeatPayload(seat=wrapped, errors=_errors(errors))

    @strawberry.mutation(description="Writes a DRAFT proposal. Admins and committee members.")
    async def create_proposal(self, info: Info, input: CreateProposalInput) -> ProposalPayload:
        context = info.context

        async def create() -> Any:
            changes = proposal_service.ProposalChanges(
                title=input.title,
                summary=input.summary,
                body=input.body,
                sponsor_organization_ids=_organization_pks(input.sponsor_organization_ids),
                origin_convening_id=_convening_pk(input.origin_convening_id),
            )
            return await proposal_service.create_proposal(
                context.session,
                context.viewer,
                changes,
                now=_now(),
                creation_key=input.idempotency_key,
            )

        return await _proposal_payload(context, create)

    @strawberry.mutation(
        description=(
            "Changes a proposal's text, sponsors or origin (until voting opens), or moves it "
            "between DRAFT and DISCUSSION or to WITHDRAWN. Admins and committee members."
        )
    )
    async def update_proposal(self, info: Info, input: UpdateProposalInput) -> ProposalPayload:
        context = info.context

        async def update() -> Any:
            pk = _proposal_pk(input.id, "id")
            return await proposal_service.update_proposal(
                context.session, context.viewer, pk, _update_changes(input), now=_now()
            )

        return await _proposal_payload(context, update)

    @strawberry.mutation(
        description=(
            "Opens voting with a rule, a quorum, a ballot and a close time; fixes the eligible "
            "seats. Admins only. A SECRET ballot needs HUB_SECRET_KEY in the hub's environment "
            "(SECRET_BALLOT_KEY_MISSING otherwise): its choices are sealed under a key derived "
            "from it, never one kept in the database, and erased when voting closes."
        )
    )
    async def open_voting(self, info: Info, input: OpenVotingInput) -> ProposalPayload:
        context = info.context

        async def open_() -> Any:
            meeting = input.meeting_id
            terms = voting.VotingTerms(
                rule=input.rule,
                quorum=input.quorum,
                ballot=input.ballot,
                closes_at=input.closes_at,
                meeting_id=None if meeting is None else meeting_pk(meeting),
                opens_at=input.opens_at,
            )
            return await voting.open_voting(
                context.session,
                context.viewer,
                _proposal_pk(input.proposal_id),
                terms,
                ballot_key=ballot_box.key_for(context.settings),
                now=_now(),
            )

        return await _proposal_payload(context, open_)

    @strawberry.mutation(
        description=(
            "Casts (or replaces) a seat's vote. Only the holder or alternate of a seat eligible "
            "on the proposal may, or the holder of its proxy for the proposal (or the meeting it "
            "is voted in), naming the seat; no vote is accepted at or after the close time. "
            "Between holder and alternate the later vote wins; either replaces a proxy's vote, "
            "and a proxy never replaces theirs (SEAT_VOTED_ITSELF)."
        )
    )
    async def cast_vote(self, info: Info, input: CastVoteInput) -> CastVotePayload:
        context = info.context
        code = receipts.new_code()

        async def cast() -> Any:
            seat_id = input.seat_id
            return await voting.cast_vote(
                context.session,
                context.viewer,
                _proposal_pk(input.proposal_id),
                input.choice,
                seat_id=None if seat_id is None else _seat_pk(seat_id),
                ballot_key=ballot_box.key_for(context.settings),
                now=_now(),
                reason=input.reason,
                receipt_code=code,
            )

        vote, errors = await attempt(context, cast)
        if errors and errors[0].code is Code.VOTING_CLOSED:
            # The only thing written is the close of a window that had passed: keep it.
            context.keep_refused_writes = True
        if vote is None:
            return CastVotePayload(vote=None, proposal=None, errors=_errors(errors))
        proposal = await proposal_service.visible_proposal(
            context.session, context.viewer, vote.proposal_id
        )
        return CastVotePayload(
            vote=Vote.from_model(vote),
            proposal=Proposal.from_model(proposal),
            errors=[],
            receipt_code=code if proposal.ballot is BallotRow.SECRET else None,
        )

    @strawberry.mutation(
        description=(
            "Closes voting now and stores the outcome, computed once. Closing a closed proposal "
            "changes nothing. Admins only. (Windows also close by themselves once their close "
            "time has passed.)"
        )
    )
    async def close_voting(self, info: Info, input: CloseVotingInput) -> ProposalPayload:
        context = info.context

        async def close() -> Any:
            return await voting.close_voting(
                context.session,
                context.viewer,
                _proposal_pk(input.proposal_id),
                ballot_key=ballot_box.key_for(context.settings),
                now=_now(),
            )

        return await _proposal_payload(context, close)


def _seat_pk(global_id: str) -> int:
    return input_pk(global_id, "CommitteeSeat", "seatId", Code.UNKNOWN_SEAT)


def _comment_pk(global_id: str, field: str = "commentId") -> int:
    return input_pk(global_id, "ProposalComment", field, Code.UNKNOWN_COMMENT)


def _amendment_pk(global_id: str) -> int:
    return input_pk(global_id, "ProposalAmendment", "amendmentId", Code.UNKNOWN_AMENDMENT)


async def _comment_payload(context: Context, action: Any) -> CommentPayload:
    comment, errors = await attempt(context, action)
    wrapped = ProposalComment.from_model(comment) if comment else None
    return CommentPayload(comment=wrapped, errors=_errors(errors))


async def _amendment_payload(context: Context, action: Any) -> AmendmentPayload:
    amendment, errors = await attempt(context, action)
    if amendment is None:
        return AmendmentPayload(amendment=None, proposal=None, errors=_errors(errors))
    proposal = await proposal_service.visible_proposal(
        context.session, context.viewer, amendment.proposal_id
    )
    return AmendmentPayload(
        amendment=ProposalAmendment.from_model(amendment),
        proposal=Proposal.from_model(proposal),
        errors=[],
    )


@strawberry.type
class DiscussionMutation:
    @strawberry.mutation(
        description=(
            "Comments on a proposal in DISCUSSION (NOT_IN_DISCUSSION otherwise: no comment once "
            "voting opened), or replies to a thread's first comment. Members, committee members "
            "and admins."
        )
    )
    async def add_comment(self, info: Info, input: AddCommentInput) -> CommentPayload:
        context = info.context

        async def add() -> Any:
            parent = None if input.parent_id is None else _comment_pk(input.parent_id, "parentId")
            return await discussion_service.add_comment(
                context.session,
                context.viewer,
                _proposal_pk(input.proposal_id),
                input.body,
                parent_id=parent,
                now=_now(),
            )

        return await _comment_payload(context, add)

    @strawberry.mutation(description="Changes your own comment while the proposal is discussed.")
    async def edit_comment(self, info: Info, input: EditCommentInput) -> CommentPayload:
        context = info.context

        async def edit() -> Any:
            return await discussion_service.edit_comment(
                context.session,
                context.viewer,
                _comment_pk(input.comment_id),
                input.body,
                now=_now(),
            )

        return await _comment_payload(context, edit)

    @strawberry.mutation(description="Withdraws your own comment; it shows as withdrawn.")
    async def withdraw_comment(self, info: Info, input: WithdrawCommentInput) -> CommentPayload:
        context = info.context

        async def withdraw() -> Any:
            return await discussion_service.withdraw_comment(
                context.session, context.viewer, _comment_pk(input.comment_id), now=_now()
            )

        return await _comment_payload(context, withdraw)

    @strawberry.mutation(
        description="Hides a comment with a reason, in the admins' audit trail. Admins only."
    )
    async def hide_comment(self, info: Info, input: HideCommentInput) -> CommentPayload:
        context = info.context

        async def hide() -> Any:
            return await discussion_service.hide_comment(
                context.session,
                context.viewer,
                _comment_pk(input.comment_id),
                input.reason,
                now=_now(),
            )

        return await _comment_payload(context, hide)

    @strawberry.mutation(
        description=(
            "Proposes a replacement of a proposal's text for your seat (holders and alternates), "
            "in DRAFT or DISCUSSION (TEXT_FROZEN once voting opened)."
        )
    )
    async def propose_amendment(self, info: Info, input: ProposeAmendmentInput) -> AmendmentPayload:
        context = info.context

        async def propose() -> Any:
            seat = None if input.seat_id is None else _seat_pk(input.seat_id)
            return await amendment_service.propose_amendment(
                context.session,
                context.viewer,
                _proposal_pk(input.proposal_id),
                input.body,
                input.rationale,
                seat_id=seat,
                now=_now(),
            )

        return await _amendment_payload(context, propose)

    @strawberry.mutation(
        description=(
            "Accepts an amendment: its text becomes the proposal's next version. The proposal's "
            "sponsors, its author and admins. AMENDMENT_OUTDATED when the text changed since the "
            "amendment was written; TEXT_FROZEN once voting opened."
        )
    )
    async def accept_amendment(self, info: Info, input: DecideAmendmentInput) -> AmendmentPayload:
        context = info.context

        async def accept() -> Any:
            return await amendment_service.accept_amendment(
                context.session, context.viewer, _amendment_pk(input.amendment_id), now=_now()
            )

        return await _amendment_payload(context, accept)

    @strawberry.mutation(
        description="Rejects an amendment: the text stays. Sponsors, the author and admins."
    )
    async def reject_amendment(self, info: Info, input: DecideAmendmentInput) -> AmendmentPayload:
        context = info.context

        async def reject() -> Any:
            return await amendment_service.reject_amendment(
                context.session, context.viewer, _amendment_pk(input.amendment_id), now=_now()
            )

        return await _amendment_payload(context, reject)


async def _proposal_payload(context: Context, action: Any) -> ProposalPayload:
    proposal, errors = await attempt(context, action)
    wrapped = Proposal.from_model(proposal) if proposal else None
    return ProposalPayload(proposal=wrapped, errors=_errors(errors))

"""Inputs of the committee's mutations."""

from __future__ import annotations

from datetime import datetime

import strawberry

from hub.interfaces.graphql.governance.enums import Ballot, ProposalStatus, VoteChoice, VotingRule


@strawberry.input(
    description=(
        "Who sits in an organization's seat. Both must be affiliated with the organization and "
        "be two people. A null holder vacates the seat (it stays, inactive, with its votes)."
    )
)
class AssignSeatInput:
    organization_id: strawberry.ID
    holder_id: strawberry.ID | None = None
    alternate_id: strawberry.ID | None = None


@strawberry.input(
    description=(
        "Vacates an organization's committee seat: it stays, inactive, with its past votes. "
        "Vacating a vacated seat changes nothing."
    )
)
class VacateSeatInput:
    organization_id: strawberry.ID


@strawberry.input
class CreateProposalInput:
    title: str
    summary: str = ""
    body: str = strawberry.field(default="", description="Markdown.")
    sponsor_organization_ids: list[strawberry.ID] = strawberry.field(default_factory=list)
    origin_convening_id: strawberry.ID | None = None
    idempotency_key: str | None = strawberry.field(
        default=None,
        description=(
            "A key of your own for this creation (at most 64 characters), such as a create "
            "form's: sent again with the same key, the call answers the proposal the first "
            "call made and writes nothing."
        ),
    )


@strawberry.input(
    description=(
        "Only the fields given change. The text can change in DRAFT and DISCUSSION only. "
        "`status` moves a proposal between DRAFT and DISCUSSION, or to WITHDRAWN."
    )
)
class UpdateProposalInput:
    id: strawberry.ID
    title: str | None = strawberry.UNSET
    summary: str | None = strawberry.UNSET
    body: str | None = strawberry.UNSET
    sponsor_organization_ids: list[strawberry.ID] | None = strawberry.UNSET
    origin_convening_id: strawberry.ID | None = strawberry.UNSET
    status: ProposalStatus | None = strawberry.UNSET


@strawberry.input(
    description=(
        "Opens voting on a proposal in DISCUSSION. The seats eligible to vote are fixed now: "
        "the active seats that have a holder."
    )
)
class OpenVotingInput:
    proposal_id: strawberry.ID
    rule: VotingRule
    quorum: float = strawberry.field(
        description=(
            "The share of the eligible seats that must vote, above 0 and at most 1, to three "
            "decimals; the threshold is rounded up to a whole seat."
        )
    )
    ballot: Ballot
    closes_at: datetime = strawberry.field(
        description="The end of the window, with its offset; no vote is accepted at or after it."
    )
    opens_at: datetime | None = strawberry.field(
        default=None,
        description=(
            "A later start of the window, with its offset (null or a past time: now). Until "
            "then no vote is taken (VOTING_NOT_OPEN) and the seats are told when it starts; "
            "the seats eligible are fixed now. It must come before `closesAt` "
            "(CLOSES_BEFORE_OPENING). An online vote's only: a meeting votes in the room."
        ),
    )
    meeting_id: strawberry.ID | None = strawberry.field(
        default=None,
        description=(
            "Voted in this committee meeting (the proposal on its agenda): the eligible seats, "
            "and so the quorum, are the seats present or represented by proxy there now."
        ),
    )


@strawberry.input(
    description=(
        "A vote for a seat you hold or alternate; a later vote replaces it until the window "
        "closes. Name the seat only if you sit in more than one."
    )
)
class CastVoteInput:
    proposal_id: strawberry.ID
    choice: VoteChoice
    seat_id: strawberry.ID | None = None
    reason: str | None = strawberry.field(
        default=None,
        description=(
            "Why, in a sentence or two (at most 500 characters), shown with the votes. RECORDED "
            "ballots only: a SECRET ballot refuses it (REASON_ON_SECRET_BALLOT)."
        ),
    )


@strawberry.input
class CloseVotingInput:
    proposal_id: strawberry.ID


@strawberry.input(
    description=(
        "A comment on a proposal in DISCUSSION, in Markdown; with `parentId`, a reply to a "
        "comment that begins a thread (not to a reply)."
    )
)
class AddCommentInput:
    proposal_id: strawberry.ID
    body: str
    parent_id: strawberry.ID | None = None


@strawberry.input(description="Your own comment's new text, while the proposal is in DISCUSSION.")
class EditCommentInput:
    comment_id: strawberry.ID
    body: str


@strawberry.input(description="Withdraws your own comment: it stays in its thread as withdrawn.")
class WithdrawCommentInput:
    comment_id: strawberry.ID


@strawberry.input(description="Hides a comment, with the reason shown in its place. Admins only.")
class HideCommentInput:
    comment_id: strawberry.ID
    reason: str


@strawberry.input(
    description=(
        "A replacement of a proposal's whole text, with a short rationale, for a seat you hold "
        "or alternate (name it only if you sit in more than one). DRAFT and DISCUSSION only."
    )
)
class ProposeAmendmentInput:
    proposal_id: strawberry.ID
    body: str = strawberry.field(description="Markdown.")
    rationale: str
    seat_id: strawberry.ID | None = None


@strawberry.input(description="An amendment to accept or reject.")
class DecideAmendmentInput:
    amendment_id: strawberry.ID

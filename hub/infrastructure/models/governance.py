"""The Coordinating Committee: seats, proposals, votes and the audit trail."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from hub.infrastructure.models.base import Base, Timestamped, str_enum, utcnow


class ProposalStatus(enum.StrEnum):
    DRAFT = "DRAFT"
    DISCUSSION = "DISCUSSION"
    VOTING = "VOTING"
    ADOPTED = "ADOPTED"
    REJECTED = "REJECTED"
    WITHDRAWN = "WITHDRAWN"


class VotingRule(enum.StrEnum):
    MAJORITY = "MAJORITY"
    TWO_THIRDS = "TWO_THIRDS"
    CONSENSUS = "CONSENSUS"


class Ballot(enum.StrEnum):
    RECORDED = "RECORDED"
    SECRET = "SECRET"


class VoteChoice(enum.StrEnum):
    YES = "YES"
    NO = "NO"
    ABSTAIN = "ABSTAIN"
    BLOCK = "BLOCK"


class VoterRole(enum.StrEnum):
    """Who cast a seat's vote: its holder, its alternate, or the holder of its proxy."""

    HOLDER = "HOLDER"
    ALTERNATE = "ALTERNATE"
    PROXY = "PROXY"


class GovernanceAction(enum.StrEnum):
    SEAT_ASSIGNED = "SEAT_ASSIGNED"
    SEAT_VACATED = "SEAT_VACATED"
    PROPOSAL_CREATED = "PROPOSAL_CREATED"
    PROPOSAL_UPDATED = "PROPOSAL_UPDATED"
    STATUS_CHANGED = "STATUS_CHANGED"
    VOTING_OPENED = "VOTING_OPENED"
    VOTE_CAST = "VOTE_CAST"
    VOTE_CHANGED = "VOTE_CHANGED"
    VOTING_CLOSED = "VOTING_CLOSED"
    OUTCOME_RECORDED = "OUTCOME_RECORDED"


class CommentStatus(enum.StrEnum):
    VISIBLE = "VISIBLE"
    WITHDRAWN = "WITHDRAWN"
    HIDDEN = "HIDDEN"


class AmendmentStatus(enum.StrEnum):
    PENDING = "PENDING"
    ACCEPTED = "ACCEPTED"
    REJECTED = "REJECTED"


class CommitteeSeat(Timestamped, Base):
    """One organization's seat; vacated seats keep their row so past votes keep their seat."""

    __tablename__ = "committee_seats"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), unique=True
    )
    holder_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    alternate_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    active: Mapped[bool] = mapped_column(default=True)


class Proposal(Timestamped, Base):
    __tablename__ = "proposals"
    __table_args__ = (
        CheckConstraint("quorum IS NULL OR (quorum > 0 AND quorum <= 1)", name="quorum_share"),
        # The worker's and the readers' search for votes past their close time.
        Index("ix_proposals_status_voting_closes_at", "status", "voting_closes_at"),
        # A create form submitted twice by its writer makes one proposal.
        Index(
            "uq_proposals_created_by_id_creation_key",
            "created_by_id",
            "creation_key",
            unique=True,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ProposalStatus] = mapped_column(
        str_enum(ProposalStatus, "status"), default=ProposalStatus.DRAFT, index=True
    )
    origin_convening_id: Mapped[int | None] = mapped_column(
        ForeignKey("convenings.id", ondelete="SET NULL"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    # The key the writer's create form carried (see proposals.create_proposal).
    creation_key: Mapped[str | None] = mapped_column(String(64))
    voting_rule: Mapped[VotingRule | None] = mapped_column(str_enum(VotingRule, "voting_rule"))
    quorum: Mapped[float | None] = mapped_column(Numeric(4, 3, asdecimal=False))
    ballot: Mapped[Ballot | None] = mapped_column(str_enum(Ballot, "ballot"))
    voting_opened_at: Mapped[datetime | None]
    voting_closes_at: Mapped[datetime | None]
    # Voted in this committee meeting: its eligible seats (so its quorum) were the seats present
    # or represented by proxy when voting opened. NULL: voted online, over every held seat.
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("convenings.id", ondelete="SET NULL"), index=True
    )
    # The stored result, written once when voting closes.
    closed_at: Mapped[datetime | None]
    result: Mapped[dict[str, int | bool | str] | None] = mapped_column(JSON)


class ProposalSponsor(Base):
    __tablename__ = "proposal_sponsors"

    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), primary_key=True
    )
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class EligibleSeat(Base):
    """The seats that may vote on a proposal, fixed when voting opens."""

    __tablename__ = "eligible_seats"

    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), primary_key=True
    )
    seat_id: Mapped[int] = mapped_column(
        ForeignKey("committee_seats.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Vote(Timestamped, Base):
    """One vote per seat per proposal. On a secret ballot `choice` stays NULL: the choice is
    `sealed_choice`, readable only with the key from the environment, and erased at the close
    (see hub/domains/governance/ballot_box.py)."""

    __tablename__ = "votes"
    __table_args__ = (UniqueConstraint("proposal_id", "seat_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"))
    seat_id: Mapped[int] = mapped_column(
        ForeignKey("committee_seats.id", ondelete="CASCADE"), index=True
    )
    cast_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    choice: Mapped[VoteChoice | None] = mapped_column(str_enum(VoteChoice, "choice"))
    sealed_choice: Mapped[bytes | None] = mapped_column(LargeBinary)
    # The voter's short reason, on RECORDED ballots only: free text beside a secret vote
    # could tell its choice.
    reason: Mapped[str | None] = mapped_column(String(500))
    # NULL on votes cast before proxies existed.
    cast_as: Mapped[VoterRole | None] = mapped_column(str_enum(VoterRole, "cast_as"))
    proxy_id: Mapped[int | None] = mapped_column(
        ForeignKey("proxies.id", ondelete="SET NULL"), index=True
    )


class BallotReceipt(Base):
    """A counted secret ballot, as its voter's receipt code finds it: the lookup hash of the
    code and the choice sealed under a key only the code gives. Written at the close in
    lookup-hash order, with no seat, person or time (see hub/domains/governance/receipts.py)."""

    __tablename__ = "ballot_receipts"

    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), primary_key=True
    )
    receipt_hash: Mapped[bytes] = mapped_column(LargeBinary(32), primary_key=True)
    sealed_choice: Mapped[bytes] = mapped_column(LargeBinary)


class GovernanceEvent(Base):
    """The audit trail. On a secret ballot a vote event never carries the choice."""

    __tablename__ = "governance_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int | None] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    seat_id: Mapped[int | None] = mapped_column(
        ForeignKey("committee_seats.id", ondelete="SET NULL"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[GovernanceAction] = mapped_column(str_enum(GovernanceAction, "action"))
    detail: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ProposalComment(Timestamped, Base):
    """A comment in a proposal's discussion, or a reply to one (one level deep). Withdrawn and
    hidden comments keep their row and text, so the thread around them stays readable."""

    __tablename__ = "proposal_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("proposal_comments.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[CommentStatus] = mapped_column(
        str_enum(CommentStatus, "status"), default=CommentStatus.VISIBLE
    )
    edited_at: Mapped[datetime | None]
    hidden_reason: Mapped[str | None] = mapped_column(String(500))
    hidden_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )


class ProposalAmendment(Timestamped, Base):
    """A seat's proposed replacement of a proposal's text, written against one version of it
    (`base_version`): accepting it makes the next version, unless the text moved on since."""

    __tablename__ = "proposal_amendments"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    seat_id: Mapped[int | None] = mapped_column(
        ForeignKey("committee_seats.id", ondelete="SET NULL"), index=True
    )
    proposed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    base_version: Mapped[int]
    body: Mapped[str] = mapped_column(Text)
    rationale: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[AmendmentStatus] = mapped_column(
        str_enum(AmendmentStatus, "status"), default=AmendmentStatus.PENDING
    )
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    decided_at: Mapped[datetime | None]


class ProposalVersion(Base):
    """One version of a proposal's text, numbered from 1 (the text as first written)."""

    __tablename__ = "proposal_versions"
    __table_args__ = (UniqueConstraint("proposal_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"))
    number: Mapped[int]
    body: Mapped[str] = mapped_column(Text)
    amendment_id: Mapped[int | None] = mapped_column(
        ForeignKey("proposal_amendments.id", ondelete="SET NULL"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

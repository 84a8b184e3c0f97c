"""Committee meetings: the agenda of a COMMITTEE_MEETING convening, and the proxies seats give
for a meeting or a proposal."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from hub.infrastructure.models.base import Base, Timestamped

ACTIVE_PROXY = text("revoked_at IS NULL")


class AgendaItem(Timestamped, Base):
    """A proposal on a meeting's agenda, in order (position 1 first)."""

    __tablename__ = "agenda_items"
    __table_args__ = (
        UniqueConstraint("convening_id", "proposal_id"),
        UniqueConstraint("convening_id", "position"),
        CheckConstraint("position > 0", name="position_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    convening_id: Mapped[int] = mapped_column(ForeignKey("convenings.id", ondelete="CASCADE"))
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]


class Proxy(Timestamped, Base):
    """A seat's vote given, in writing, to another seat's holder: for one meeting (every vote
    taken in it) or for one proposal. At most one unrevoked proxy per seat and meeting (or
    proposal): the partial unique indexes hold it when holder and alternate grant at once."""

    __tablename__ = "proxies"
    __table_args__ = (
        CheckConstraint(
            "(convening_id IS NULL) <> (proposal_id IS NULL)", name="one_meeting_or_proposal"
        ),
        Index(
            "uq_proxies_seat_id_convening_id",
            "seat_id",
            "convening_id",
            unique=True,
            postgresql_where=ACTIVE_PROXY,
            sqlite_where=ACTIVE_PROXY,
        ),
        Index(
            "uq_proxies_seat_id_proposal_id",
            "seat_id",
            "proposal_id",
            unique=True,
            postgresql_where=ACTIVE_PROXY,
            sqlite_where=ACTIVE_PROXY,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The seat that gives its vote.
    seat_id: Mapped[int] = mapped_column(ForeignKey("committee_seats.id", ondelete="CASCADE"))
    # The seat whose holder carries it, and that holder when it was granted.
    to_seat_id: Mapped[int] = mapped_column(
        ForeignKey("committee_seats.id", ondelete="CASCADE"), index=True
    )
    holder_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    convening_id: Mapped[int | None] = mapped_column(
        ForeignKey("convenings.id", ondelete="CASCADE"), index=True
    )
    proposal_id: Mapped[int | None] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    granted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )

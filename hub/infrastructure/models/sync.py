"""Tombstones: what left a viewer's lists (deleted, cancelled, withdrawn, or hidden from some
viewers by a change of visibility), so a poller can drop it from its copy."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from hub.infrastructure.models.base import Base, str_enum, utcnow
from hub.infrastructure.models.convenings import Visibility


class TombstoneReason(enum.StrEnum):
    DELETED = "DELETED"
    CANCELLED = "CANCELLED"
    WITHDRAWN = "WITHDRAWN"
    # No longer visible to some who saw it: a convening moved from PUBLIC to MEMBERS, say.
    HIDDEN = "HIDDEN"


class Tombstone(Base):
    """One object leaving the lists, written in the transaction of the change.

    Who may read it is decided from what the object was just before (`prior_visibility`
    and the hosts for a convening, `prior_status` for a proposal), and only for viewers who
    no longer see the object now (hub/access/permissions/sync.py)."""

    __tablename__ = "tombstones"
    __table_args__ = (Index("ix_tombstones_occurred_at_id", "occurred_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The GraphQL type name: Organization, Convening, Proposal.
    type_name: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int]
    global_id: Mapped[str] = mapped_column(String(200))
    reason: Mapped[TombstoneReason] = mapped_column(str_enum(TombstoneReason, "reason"))
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    prior_visibility: Mapped[Visibility | None] = mapped_column(
        str_enum(Visibility, "prior_visibility")
    )
    prior_status: Mapped[str | None] = mapped_column(String(32))


class TombstoneHost(Base):
    """A convening's host organizations just before it left: their contacts had seen it."""

    __tablename__ = "tombstone_hosts"

    tombstone_id: Mapped[int] = mapped_column(
        ForeignKey("tombstones.id", ondelete="CASCADE"), primary_key=True
    )
    organization_id: Mapped[int] = mapped_column(primary_key=True, index=True)

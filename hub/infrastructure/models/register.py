"""The decision register's follow-up actions: what an adopted (or rejected) decision asks of
an organization, by when, and how it stands."""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from hub.infrastructure.models.base import Base, Timestamped, str_enum


class ActionStatus(enum.StrEnum):
    OPEN = "OPEN"
    DONE = "DONE"
    DROPPED = "DROPPED"


class FollowUpAction(Timestamped, Base):
    __tablename__ = "follow_up_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    what: Mapped[str] = mapped_column(String(500))
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    due_on: Mapped[date | None]
    status: Mapped[ActionStatus] = mapped_column(
        str_enum(ActionStatus, "status"), default=ActionStatus.OPEN
    )
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )

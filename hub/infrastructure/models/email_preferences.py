"""Which kinds of email a person has stopped (hub/delivery/email/preferences), and the unguessable
tokens of the unsubscribe links their emails carry (only a hash of each is kept)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hub.infrastructure.models.base import Base, utcnow


class EmailOptOut(Base):
    """The person gets no more email of this category (`reminders`, `host_messages`,
    `committee_notices`); mail about what they answered is never in one."""

    __tablename__ = "email_opt_outs"
    __table_args__ = (UniqueConstraint("person_id", "category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    category: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class UnsubscribeToken(Base):
    """What one email's unsubscribe link stops: one category, for one person."""

    __tablename__ = "unsubscribe_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    category: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

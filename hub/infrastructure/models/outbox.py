"""The outbox (messages waiting to go out, one per recipient), email suppressions, and the
tokens behind subscribable calendar feeds."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from hub.infrastructure.models.base import Base, Timestamped, str_enum, utcnow


class Channel(enum.StrEnum):
    EMAIL = "EMAIL"
    WEBHOOK = "WEBHOOK"


class OutboxStatus(enum.StrEnum):
    PENDING = "PENDING"
    SENDING = "SENDING"
    SENT = "SENT"
    FAILED = "FAILED"
    # Not sent because the address bounced, complained or unsubscribed.
    SUPPRESSED = "SUPPRESSED"


class OutboxMessage(Timestamped, Base):
    """One message to one recipient, written in the transaction of the change that causes it.

    `payload` is a snapshot of the facts the message tells (taken at that change); the worker
    renders it at delivery. A row is claimed by setting SENDING and a lease (`claimed_until`):
    a worker that dies leaves the lease to expire, and the row becomes due again.
    """

    __tablename__ = "outbox_messages"
    __table_args__ = (
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        Index("ix_outbox_messages_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[Channel] = mapped_column(str_enum(Channel, "channel"), default=Channel.EMAIL)
    kind: Mapped[str] = mapped_column(String(60))
    # Names the event and recipient, so enqueueing the same message twice writes one row.
    dedupe_key: Mapped[str] = mapped_column(String(300), unique=True)
    recipient_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    # An email address now; a webhook endpoint's URL for the webhook channel.
    recipient_address: Mapped[str] = mapped_column(String(500))
    language: Mapped[str] = mapped_column(String(8), default="en")
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    # Filled from the rendered message at its first delivery attempt, for admins to read.
    subject: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[OutboxStatus] = mapped_column(
        str_enum(OutboxStatus, "status"), default=OutboxStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    provider_message_id: Mapped[str | None] = mapped_column(String(200))
    sent_at: Mapped[datetime | None]


class EmailSuppression(Base):
    """An address the hub must not mail: it bounced, was dropped, complained or unsubscribed
    (as SendGrid's Event Webhook reported)."""

    __tablename__ = "email_suppressions"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased, as people's emails are.
    email: Mapped[str] = mapped_column(String(320), unique=True)
    reason: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CalendarFeedToken(Base):
    """An unguessable, revocable feed URL: for one person (the convenings they are GOING to) or
    one organization (the convenings it hosts). Only a hash of the token is kept."""

    __tablename__ = "calendar_feed_tokens"
    __table_args__ = (
        CheckConstraint("(person_id IS NULL) <> (organization_id IS NULL)", name="one_subject"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]

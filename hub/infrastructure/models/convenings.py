"""Convenings, their hosts and series, and the RSVPs that answer them."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from hub.infrastructure.models.base import Base, Timestamped, str_enum


class ConveningKind(enum.StrEnum):
    STRATEGY_SESSION = "STRATEGY_SESSION"
    COMMITTEE_MEETING = "COMMITTEE_MEETING"
    TRAINING = "TRAINING"
    CAUCUS_CALL = "CAUCUS_CALL"


class Visibility(enum.StrEnum):
    PUBLIC = "PUBLIC"
    MEMBERS = "MEMBERS"
    COMMITTEE = "COMMITTEE"


class ConveningStatus(enum.StrEnum):
    SCHEDULED = "SCHEDULED"
    CANCELLED = "CANCELLED"
    COMPLETED = "COMPLETED"


class RsvpStatus(enum.StrEnum):
    GOING = "GOING"
    MAYBE = "MAYBE"
    NOT_GOING = "NOT_GOING"
    WAITLISTED = "WAITLISTED"


class AccessibilityNeed(enum.StrEnum):
    ASL = "ASL"
    CAPTIONING = "CAPTIONING"
    MOBILITY = "MOBILITY"
    LARGE_PRINT = "LARGE_PRINT"
    QUIET_SPACE = "QUIET_SPACE"
    OTHER = "OTHER"


class ConveningSeries(Timestamped, Base):
    __tablename__ = "convening_series"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))


class Convening(Timestamped, Base):
    __tablename__ = "convenings"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_not_negative"),
        CheckConstraint("delegate_limit IS NULL OR delegate_limit > 0", name="delegate_limit"),
        Index("ix_convenings_starts_at_id", "starts_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[ConveningKind] = mapped_column(str_enum(ConveningKind, "kind"), index=True)
    series_id: Mapped[int | None] = mapped_column(
        ForeignKey("convening_series.id", ondelete="SET NULL"), index=True
    )
    description: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    # An IANA zone name; times are stored in UTC and shown in this zone.
    time_zone: Mapped[str] = mapped_column(String(64))
    venue_name: Mapped[str | None] = mapped_column(String(200))
    venue_address: Mapped[str | None] = mapped_column(String(300))
    virtual_url: Mapped[str | None] = mapped_column(String(500))
    capacity: Mapped[int | None]
    delegate_limit: Mapped[int | None]
    rsvp_deadline: Mapped[datetime | None]
    languages: Mapped[list[str]] = mapped_column(default=list)
    visibility: Mapped[Visibility] = mapped_column(
        str_enum(Visibility, "visibility"), default=Visibility.MEMBERS
    )
    status: Mapped[ConveningStatus] = mapped_column(
        str_enum(ConveningStatus, "status"), default=ConveningStatus.SCHEDULED, index=True
    )
    # Kept in step with the RSVPs under the convening's row lock; capacity checks read it.
    going_count: Mapped[int] = mapped_column(default=0)
    # iCalendar SEQUENCE: raised on every material change (time, place, status).
    sequence: Mapped[int] = mapped_column(default=0)
    # The form that asked for it ("<person id>/<form key>/<occurrence>"): a form submitted
    # twice meets this unique key and gets the convening the first submit made.
    creation_key: Mapped[str | None] = mapped_column(String(120), unique=True)


class ConveningHost(Base):
    __tablename__ = "convening_hosts"

    convening_id: Mapped[int] = mapped_column(
        ForeignKey("convenings.id", ondelete="CASCADE"), primary_key=True
    )
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Rsvp(Timestamped, Base):
    __tablename__ = "rsvps"
    __table_args__ = (
        UniqueConstraint("convening_id", "person_id"),
        # The door's form key: a walk-in tapped twice is one walk-in.
        UniqueConstraint("convening_id", "walk_in_key"),
        CheckConstraint("childcare_count >= 0", name="childcare_not_negative"),
        Index("ix_rsvps_convening_id_status", "convening_id", "status"),
        # Pages of a convening's RSVPs are read in id order (the list, the compiled path).
        Index("ix_rsvps_convening_id_id", "convening_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    convening_id: Mapped[int] = mapped_column(ForeignKey("convenings.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL"), index=True
    )
    responded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[RsvpStatus] = mapped_column(str_enum(RsvpStatus, "status"))
    waitlist_position: Mapped[int | None]
    interpretation_language: Mapped[str | None] = mapped_column(String(8))
    accessibility: Mapped[list[str]] = mapped_column(default=list)
    accessibility_note: Mapped[str] = mapped_column(Text, default="")
    childcare_count: Mapped[int] = mapped_column(default=0)
    dietary: Mapped[str] = mapped_column(Text, default="")
    checked_in_at: Mapped[datetime | None]
    # Registered at the door (hub/domains/convenings/walk_ins.py), not answered beforehand.
    walk_in: Mapped[bool] = mapped_column(default=False, server_default=false())
    walk_in_key: Mapped[str | None] = mapped_column(String(64))
    # The organization as typed at the door when it is not in the directory.
    walk_in_organization: Mapped[str | None] = mapped_column(String(200))


class MessageAudience(enum.StrEnum):
    GOING = "GOING"
    WAITLISTED = "WAITLISTED"
    ALL = "ALL"


class AttendeeMessage(Timestamped, Base):
    """A host's message to a convening's attendees, sent once to each through the outbox."""

    __tablename__ = "attendee_messages"
    __table_args__ = (
        # A form posted twice is one message.
        UniqueConstraint("convening_id", "idempotency_key"),
        Index("ix_attendee_messages_convening_id_id", "convening_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    convening_id: Mapped[int] = mapped_column(ForeignKey("convenings.id", ondelete="CASCADE"))
    sent_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    audience: Mapped[MessageAudience] = mapped_column(str_enum(MessageAudience, "audience"))
    subject: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    subject_es: Mapped[str] = mapped_column(String(200), default="")
    text_es: Mapped[str] = mapped_column(Text, default="")
    recipient_count: Mapped[int] = mapped_column(default=0)
    idempotency_key: Mapped[str] = mapped_column(String(64))

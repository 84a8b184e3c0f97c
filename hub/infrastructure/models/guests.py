"""Guests' answers to PUBLIC convenings, waiting for the link sent to their email: nothing
counts until the link is used (hub/domains/guests)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from hub.infrastructure.models.base import Base, utcnow


class GuestRsvpRequest(Base):
    """One guest answer and the link that confirms it (only the link's hash is kept). A newer
    request for the same convening and email supersedes this one; `used_at` is set by the one
    request that confirms it."""

    __tablename__ = "guest_rsvp_requests"
    __table_args__ = (
        Index("ix_guest_rsvp_requests_email_created_at", "email", "created_at"),
        Index("ix_guest_rsvp_requests_convening_id_email", "convening_id", "email"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    convening_id: Mapped[int] = mapped_column(ForeignKey("convenings.id", ondelete="CASCADE"))
    # Lower-cased, as people's emails are stored.
    email: Mapped[str] = mapped_column(String(320))
    name: Mapped[str] = mapped_column(String(200))
    organization_name: Mapped[str | None] = mapped_column(String(200))
    preferred_language: Mapped[str] = mapped_column(String(8), default="en")
    interpretation_language: Mapped[str | None] = mapped_column(String(8))
    accessibility: Mapped[list[str]] = mapped_column(default=list)
    accessibility_note: Mapped[str] = mapped_column(Text, default="")
    childcare_count: Mapped[int] = mapped_column(default=0)
    dietary: Mapped[str] = mapped_column(Text, default="")
    # The form's hidden key: the same form sent twice makes one request.
    form_key: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    # The person whose RSVP the confirmation made (a guest created then, or who had the email).
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )

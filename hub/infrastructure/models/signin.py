"""Sign-in by email link: the links (only a hash of each token is kept) and the requests for
them, counted in the database to rate-limit per address and per client."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from hub.infrastructure.models.base import Base, utcnow


class SigninLink(Base):
    """A single-use link: `used_at` is set by the one request that consumes it."""

    __tablename__ = "signin_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SigninAttempt(Base):
    """One request for a link, known address or not: what the rate limits count."""

    __tablename__ = "signin_attempts"
    __table_args__ = (
        Index("ix_signin_attempts_email_created_at", "email", "created_at"),
        Index("ix_signin_attempts_client_address_created_at", "client_address", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Lower-cased, as people's emails are stored.
    email: Mapped[str] = mapped_column(String(320))
    client_address: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

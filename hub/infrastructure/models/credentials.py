"""What the hub issues to people and can take back: the sessions of their signed-in browsers and
their personal access tokens. Only a hash of each secret is kept; a row is ended or revoked,
never reused, so a copied secret stays dead."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from hub.infrastructure.models.base import Base, utcnow


class SignInSession(Base):
    """One sign-in of one browser. The cookie holds the random secret; `ended_at` is set for
    good by a sign-out, a "sign out everywhere", an admin, or the person's removal."""

    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # "email" for the email link, else the OpenID Connect provider's name.
    provider: Mapped[str] = mapped_column(String(60))
    # The browser's User-Agent as it said at sign-in (cut short): how a person tells devices apart.
    user_agent: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    # Why it ended: signed_out, signed_out_everywhere, ended_by_admin.
    end_reason: Mapped[str | None] = mapped_column(String(32))


class PersonalAccessToken(Base):
    """A bearer token a person made on their page (or an operator with `hub token`)."""

    __tablename__ = "personal_access_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # What it may do, as an OAuth scope string: "read", or "read write".
    scope: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))

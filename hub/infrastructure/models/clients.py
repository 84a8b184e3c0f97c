"""API clients (peers' and partners' systems) and the budget buckets every caller draws on."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hub.infrastructure.models.base import Base, Timestamped


class ApiClient(Timestamped, Base):
    """A system that calls the API with the client-credentials grant. Only a salted, slow hash
    of its secret is kept: the secret itself is shown once, when the client is registered."""

    __tablename__ = "api_clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The public identifier sent as `client_id`; the integer id never leaves the database.
    client_id: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    secret_hash: Mapped[str] = mapped_column(String(300))
    scopes: Mapped[list[str]] = mapped_column(default=list)
    revoked_at: Mapped[datetime | None]


class RateLimitBucket(Base):
    """Points a caller spent in one budget window. Shared by every hub process: the count is
    raised with an atomic upsert, never kept in a process's memory."""

    __tablename__ = "rate_limit_buckets"
    __table_args__ = (UniqueConstraint("caller_key", "window_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # `client:<client id>`, `person:<id>` or `address:<ip>`.
    caller_key: Mapped[str] = mapped_column(String(200))
    window_start: Mapped[datetime]
    # 64-bit: a deployment may set budgets beyond 2**31 points (the benchmark does).
    points: Mapped[int] = mapped_column(BigInteger, default=0)

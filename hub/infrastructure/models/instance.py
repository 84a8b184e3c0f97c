"""Per-installation state that every hub process must share."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from hub.infrastructure.models.base import Base


class InstanceSecret(Base):
    """A signing key generated on first use when HUB_SECRET_KEY is unset, so that
    `hub token` and every `hub serve` process of a newcomer's install agree on it."""

    __tablename__ = "instance_secrets"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))

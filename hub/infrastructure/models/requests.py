"""Request keys: what makes a double-submitted form write once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from hub.infrastructure.models.base import Base, utcnow


class RequestKey(Base):
    """A key a form (or any caller) made up for one create: written in the same transaction
    as the thing it created, so a second request with the key finds it and creates nothing."""

    __tablename__ = "request_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

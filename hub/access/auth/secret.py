"""The signing secret: HUB_SECRET_KEY, or one generated once and kept in the database."""

from __future__ import annotations

import logging
import secrets

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.infrastructure.db import dialect_insert
from hub.infrastructure.models import InstanceSecret

SIGNING_KEY_NAME = "signing-key"
log = logging.getLogger(__name__)


async def signing_secret(session: AsyncSession, configured: str | None) -> str:
    """Every process of one install must sign alike; a generated key lives in the database."""
    if configured:
        return configured
    stored = await session.scalar(
        select(InstanceSecret.value).where(InstanceSecret.name == SIGNING_KEY_NAME)
    )
    if stored:
        return stored
    log.warning("HUB_SECRET_KEY is unset: generating a signing key and keeping it in the database")
    # Two processes starting together may both generate one: the first stored wins.
    insert = dialect_insert(session, InstanceSecret).values(
        name=SIGNING_KEY_NAME, value=secrets.token_urlsafe(48)
    )
    await session.execute(insert.on_conflict_do_nothing(index_elements=["name"]))
    return str(
        await session.scalar(
            select(InstanceSecret.value).where(InstanceSecret.name == SIGNING_KEY_NAME)
        )
    )

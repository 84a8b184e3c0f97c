"""Feed tokens: shown once when made, kept only as a hash, revoked by making a new one or by
revoking. One active feed per person and per organization."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hub.access.auth.viewer import Viewer
from hub.access.permissions.calendar import require_feed_manager
from hub.common.errors import InputError
from hub.delivery.feeds.errors import CalendarErrorCode as Code
from hub.infrastructure.models import CalendarFeedToken, Organization, Person
from hub.infrastructure.models.base import utcnow

TOKEN_BYTES = 32


@dataclass(frozen=True)
class IssuedFeed:
    token: str
    feed: CalendarFeedToken


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _subject(viewer: Viewer, organization_id: int | None) -> dict[str, int | None]:
    if organization_id is not None:
        return {"organization_id": organization_id, "person_id": None}
    return {"person_id": viewer.person_id, "organization_id": None}


async def create_feed(
    session: AsyncSession, viewer: Viewer, *, organization_id: int | None = None
) -> IssuedFeed:
    """A new feed URL for the viewer (or an organization they manage); the old one stops
    working."""
    require_feed_manager(viewer, organization_id)
    await _lock_subject(session, viewer, organization_id)
    await _revoke_active(session, viewer, organization_id)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    feed = CalendarFeedToken(
        token_hash=token_hash(token),
        created_by_id=viewer.person_id,
        **_subject(viewer, organization_id),
    )
    session.add(feed)
    await session.flush()
    return IssuedFeed(token=token, feed=feed)


async def revoke_feed(
    session: AsyncSession, viewer: Viewer, *, organization_id: int | None = None
) -> bool:
    """Stops the active feed URL; False when there was none."""
    require_feed_manager(viewer, organization_id)
    await _lock_subject(session, viewer, organization_id)
    return await _revoke_active(session, viewer, organization_id)


async def active_feed(
    session: AsyncSession, viewer: Viewer, *, organization_id: int | None = None
) -> CalendarFeedToken | None:
    require_feed_manager(viewer, organization_id)
    return await session.scalar(select(CalendarFeedToken).where(*_active(viewer, organization_id)))


async def feed_by_token(session: AsyncSession, token: str) -> CalendarFeedToken | None:
    statement = select(CalendarFeedToken).where(
        CalendarFeedToken.token_hash == token_hash(token), CalendarFeedToken.revoked_at.is_(None)
    )
    return await session.scalar(statement)


def _active(viewer: Viewer, organization_id: int | None) -> list[ColumnElement[bool]]:
    subject = _subject(viewer, organization_id)
    return [
        CalendarFeedToken.person_id == subject["person_id"]
        if subject["person_id"] is not None
        else CalendarFeedToken.organization_id == subject["organization_id"],
        CalendarFeedToken.revoked_at.is_(None),
    ]


async def _lock_subject(session: AsyncSession, viewer: Viewer, organization_id: int | None) -> None:
    # Two requests at once must not leave two active feeds: they take turns on the subject's
    # row (PostgreSQL; SQLite's writers are serialized already).
    if organization_id is not None:
        locked = select(Organization.id).where(Organization.id == organization_id)
    else:
        locked = select(Person.id).where(Person.id == viewer.person_id)
    if await session.scalar(locked.with_for_update()) is None:
        raise InputError(
            "organizationId", Code.UNKNOWN_ORGANIZATION, "No organization has that id."
        )


async def _revoke_active(
    session: AsyncSession, viewer: Viewer, organization_id: int | None
) -> bool:
    statement = (
        update(CalendarFeedToken)
        .where(*_active(viewer, organization_id))
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return bool(cast(CursorResult[Any], await session.execute(statement)).rowcount)

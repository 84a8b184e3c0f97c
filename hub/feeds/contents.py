"""What a calendar file holds: one visible convening, or a feed's convenings."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.auth.viewer import Viewer, load_person_viewer
from hub.models import CalendarFeedToken, Convening, ConveningHost, Organization, Person, Rsvp
from hub.models.convenings import RsvpStatus
from hub.permissions.convenings import convening_rows

# Feeds keep recent past convenings, so a calendar does not lose last week's meeting.
FEED_PAST = timedelta(days=180)
FEED_LIMIT = 500


async def visible_convening(
    session: AsyncSession, viewer: Viewer, convening_id: int
) -> Convening | None:
    statement = select(Convening).where(Convening.id == convening_id, convening_rows(viewer))
    return await session.scalar(statement)


async def feed_convenings(
    session: AsyncSession, feed: CalendarFeedToken, *, now: datetime
) -> list[Convening]:
    """A person's feed: the convenings they are GOING to. An organization's: the convenings it
    hosts that the feed's maker may see (the URL carries their view, nothing more)."""
    if feed.person_id is not None:
        statement = select(Convening).where(_going(feed.person_id))
    else:
        maker = await _maker(session, feed)
        if maker is None:
            return []
        statement = select(Convening).where(_hosted_by(feed.organization_id), convening_rows(maker))
    return list(await session.scalars(_recent(statement, now)))


async def feed_name(session: AsyncSession, feed: CalendarFeedToken) -> str:
    if feed.person_id is not None:
        name = await session.scalar(select(Person.name).where(Person.id == feed.person_id))
    else:
        name = await session.scalar(
            select(Organization.name).where(Organization.id == feed.organization_id)
        )
    return f"Coalition Hub: {name}"


async def feed_language(session: AsyncSession, feed: CalendarFeedToken) -> str:
    """The language its entries are described in: the one its maker chose."""
    chosen = await session.scalar(
        select(Person.preferred_language).where(Person.id == feed.created_by_id)
    )
    return str(chosen or "en")


def _going(person_id: int) -> ColumnElement[bool]:
    return exists().where(
        Rsvp.convening_id == Convening.id,
        Rsvp.person_id == person_id,
        Rsvp.status == RsvpStatus.GOING,
    )


def _hosted_by(organization_id: int | None) -> ColumnElement[bool]:
    return exists().where(
        ConveningHost.convening_id == Convening.id,
        ConveningHost.organization_id == organization_id,
    )


def _recent(statement: Select[Any], now: datetime) -> Select[Any]:
    return (
        statement.where(Convening.ends_at >= now - FEED_PAST)
        .order_by(Convening.starts_at, Convening.id)
        .limit(FEED_LIMIT)
    )


async def _maker(session: AsyncSession, feed: CalendarFeedToken) -> Viewer | None:
    if feed.created_by_id is None:
        return None
    return await load_person_viewer(session, feed.created_by_id)

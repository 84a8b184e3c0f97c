"""What a calendar file holds: one visible convening, or a feed's convenings."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.access.auth.viewer import Viewer, load_person_viewer
from hub.access.permissions.convenings import convening_rows
from hub.delivery.calendar.documents import convening_calendar, feed_calendar
from hub.delivery.calendar.events import Publisher
from hub.delivery.calendar.facts import ConveningFacts
from hub.infrastructure.models import (
    CalendarFeedToken,
    Convening,
    ConveningHost,
    Organization,
    Person,
    Rsvp,
)
from hub.infrastructure.models.convenings import RsvpStatus

# Feeds keep recent past convenings, so a calendar does not lose last week's meeting.
FEED_PAST = timedelta(days=180)
FEED_LIMIT = 500
# What a date that iCalendar or the zone's rules cannot hold raises (a year-9999 convening).
UNRENDERABLE = (ValueError, OverflowError)

log = logging.getLogger(__name__)


async def visible_convening(
    session: AsyncSession, viewer: Viewer, convening_id: int
) -> Convening | None:
    statement = select(Convening).where(Convening.id == convening_id, convening_rows(viewer))
    return await session.scalar(statement)


async def feed_convenings(
    session: AsyncSession, feed: CalendarFeedToken, *, now: datetime
) -> list[Convening]:
    """A person's feed: the convenings they are GOING to and may see (the API's row rule for
    them). An organization's: the convenings it hosts that the feed's maker may see (the URL
    carries their view, nothing more)."""
    if feed.person_id is not None:
        person = await load_person_viewer(session, feed.person_id)
        if person is None:
            return []
        statement = select(Convening).where(_going(feed.person_id), convening_rows(person))
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


def feed_document(
    convenings: Sequence[Convening],
    publisher: Publisher,
    *,
    name: str,
    stamp: datetime,
    language: str = "en",
) -> bytes:
    """The feed's calendar. A convening that cannot be rendered (dates out of range, as old or
    restored data may hold) is left out and logged: one bad row must not take every other
    event of every subscriber's feed with it."""
    facts = [found for c in convenings if (found := _facts(c)) is not None]
    try:
        return feed_calendar(facts, publisher, name=name, stamp=stamp, language=language)
    except UNRENDERABLE:
        renderable = [f for f in facts if _renders(f, publisher, stamp)]
        return feed_calendar(renderable, publisher, name=name, stamp=stamp, language=language)


def _facts(convening: Convening) -> ConveningFacts | None:
    try:
        return ConveningFacts.from_model(convening)
    except UNRENDERABLE:
        _skipped(convening.id)
        return None


def _renders(facts: ConveningFacts, publisher: Publisher, stamp: datetime) -> bool:
    try:
        convening_calendar(facts, publisher, stamp=stamp)
    except UNRENDERABLE:
        _skipped(facts.id)
        return False
    return True


def _skipped(convening_id: int) -> None:
    log.warning(
        "Convening %s left out of a calendar feed: it cannot be rendered",
        convening_id,
        extra={"convening_id": convening_id},
        exc_info=True,
    )

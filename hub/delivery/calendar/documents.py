"""Whole calendars: a convening's .ics, a feed of many, and iTIP invitations (REQUEST and
CANCEL) to one attendee."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from icalendar import Calendar
from icalendar.enums import STATUS

from hub.delivery.calendar.events import Publisher, convening_event
from hub.delivery.calendar.facts import Attendee, ConveningFacts

PRODID = "-//Coalition Hub//Convenings//EN"
FEED_REFRESH = timedelta(hours=1)


class Method(enum.StrEnum):
    PUBLISH = "PUBLISH"
    REQUEST = "REQUEST"
    CANCEL = "CANCEL"


def convening_calendar(
    facts: ConveningFacts, publisher: Publisher, *, stamp: datetime, language: str = "en"
) -> bytes:
    """The "add to calendar" file of one convening (STATUS:CANCELLED once cancelled), its
    description in the reader's language."""
    event = convening_event(facts, publisher, stamp=stamp, language=language)
    return _serialized(Calendar.new(method=Method.PUBLISH, prodid=PRODID), [event], [facts])


def feed_calendar(
    convenings: Sequence[ConveningFacts],
    publisher: Publisher,
    *,
    name: str,
    stamp: datetime,
    language: str = "en",
) -> bytes:
    calendar = Calendar.new(
        method=Method.PUBLISH, prodid=PRODID, name=name, refresh_interval=FEED_REFRESH
    )
    events = [
        convening_event(facts, publisher, stamp=stamp, language=language) for facts in convenings
    ]
    return _serialized(calendar, events, convenings)


def invitation(
    facts: ConveningFacts,
    publisher: Publisher,
    attendee: Attendee,
    method: Method,
    *,
    stamp: datetime,
    language: str = "en",
) -> bytes:
    """An iMIP invitation: REQUEST to put (or update) the entry in the attendee's calendar,
    CANCEL to take it out. Same UID every time; SEQUENCE is the convening's."""
    event = convening_event(facts, publisher, stamp=stamp, attendees=[attendee], language=language)
    if method == Method.CANCEL:
        event["STATUS"] = STATUS.CANCELLED
    return _serialized(Calendar.new(method=method, prodid=PRODID), [event], [facts])


def _serialized(
    calendar: Calendar, events: Sequence[object], convenings: Sequence[ConveningFacts]
) -> bytes:
    for event in events:
        calendar.add_component(event)  # type: ignore[arg-type]
    if convenings:
        first, last = _zone_range(convenings)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    return calendar.to_ical()  # type: ignore[no-any-return]


def _zone_range(convenings: Sequence[ConveningFacts]) -> tuple[date, date]:
    """Only the years the events fall in: some clients mishandle long VTIMEZONE histories."""
    first = min(facts.local_start for facts in convenings)
    last = max(facts.local_end for facts in convenings)
    return date(first.year, 1, 1), date(last.year + 1, 1, 1)

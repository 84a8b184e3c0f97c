"""How a time reads to a person, in email and on the pages alike.

A time is written in the zone of what it belongs to (a convening's own zone; the committee's,
HUB_TIME_ZONE, for its voting windows; the reader's for their own things), to the minute, and
the zone is named in full in the reader's language: "Pacific Standard Time", "hora estándar
del Pacífico". Never an abbreviation in one language and a bare offset in the other (CLDR has
"PST" for English but only "-0800" for Spanish), and never seconds.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Literal
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time, get_timezone_name

Style = Literal["full", "medium"]
EN_DASH = "\N{EN DASH}"


def moment(when: datetime, zone: str | tzinfo, language: str, style: Style = "full") -> str:
    """One moment: "Thursday, December 3, 2026, 12:07 AM (Pacific Standard Time)"; the
    medium style shortens the date: "Dec 3, 2026, 12:07 AM (Pacific Standard Time)"."""
    local = when.astimezone(_zone(zone))
    return f"{_day(local, style, language)}, {_clock(local, language)} ({_named(local, language)})"


def span(
    start: datetime, end: datetime, zone: str | tzinfo, language: str, style: Style = "full"
) -> str:
    """From start to end: "Thursday, December 10, 2026, 3:00 PM - 3:45 PM (Pacific Standard
    Time)", with an en dash; the end's date is written too when it falls on another day."""
    local_start, local_end = start.astimezone(_zone(zone)), end.astimezone(_zone(zone))
    return f"{_day(local_start, style, language)}, {hours(local_start, local_end, language)}"


def hours(start: datetime, end: datetime, language: str) -> str:
    """The hours of a span already in its zone, the zone named: "3:00 PM - 3:45 PM (...)"."""
    end_part = _clock(end, language)
    if end.date() != start.date():
        end_part = f"{_day(end, 'full', language)}, {end_part}"
    return f"{_clock(start, language)} {EN_DASH} {end_part} ({_named(start, language)})"


def span_elsewhere(
    start: datetime, end: datetime, own: str | tzinfo, reader: tzinfo, language: str
) -> str | None:
    """The span as it reads in the reader's zone, or None when it reads the same as in its
    own zone. Its date is written only when the day differs from the own zone's."""
    there, here = start.astimezone(_zone(own)), start.astimezone(reader)
    if (there.utcoffset(), _named(there, language)) == (here.utcoffset(), _named(here, language)):
        return None
    text = hours(here, end.astimezone(reader), language)
    if here.date() != there.date():
        text = f"{_day(here, 'full', language)}, {text}"
    return text


def _zone(zone: str | tzinfo) -> tzinfo:
    return ZoneInfo(zone) if isinstance(zone, str) else zone


def _day(local: datetime, style: Style, language: str) -> str:
    return format_date(local, style, locale=language)


def _clock(local: datetime, language: str) -> str:
    return format_time(local, "short", locale=language)


def _named(local: datetime, language: str) -> str:
    return get_timezone_name(local, "long", locale=language)

"""Checks on convening and RSVP input, each raising an InputError that names the field."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from hub.common.errors import InputError
from hub.common.text import TextChecks
from hub.domains.convenings.errors import ConveningErrorCode as Code

URL_PATTERN = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
# A BCP 47 language tag short enough for the column: "es", "zh-Hant", "tl".
LANGUAGE_PATTERN = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,4})?$")
# The hub's dates: what calendars, zones and people's plans can hold (a year-9999 convening
# broke every feed it was in). Start, end and RSVP deadline fall in [EARLIEST, LATEST).
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)
# Counts a convening can hold: two RSVPs of 2,147,483,647 childcare places overflowed the
# planners' totals.
MAX_CAPACITY = 100_000
MAX_DELEGATE_LIMIT = 1_000
MAX_CHILDCARE = 20


TEXT = TextChecks(Code.REQUIRED, Code.TOO_LONG, Code.INVALID_CHARACTERS)
required_text = TEXT.required_text
optional_text = TEXT.optional_text
required_name = TEXT.required_name
optional_name = TEXT.optional_name
printable = TEXT.printable


def url(field: str, value: str | None) -> str | None:
    cleaned = optional_text(field, value, 500)
    if cleaned and not URL_PATTERN.match(cleaned):
        raise InputError(field, Code.INVALID_URL, "Give the link as an http(s):// address.")
    return cleaned


@cache
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def time_zone(value: str) -> ZoneInfo:
    name = value.strip()
    if name not in _zone_names():
        raise InputError(
            "timeZone", Code.INVALID_TIME_ZONE, f"{value!r} is not an IANA time zone name."
        )
    return ZoneInfo(name)


def in_zone(field: str, value: datetime, zone: ZoneInfo) -> datetime:
    """A time as given, as a UTC instant within the hub's dates: with an offset it is that
    instant; without one it is a wall-clock time in the convening's zone (09:00 stays 09:00 on
    both sides of a daylight-saving change), and one the clocks skip there is refused."""
    if value.tzinfo is None:
        _require_exists(field, value, zone)
        value = value.replace(tzinfo=zone)
    try:
        instant = value.astimezone(UTC)
    except (OverflowError, ValueError):
        instant = None
    if instant is None or not EARLIEST <= instant < LATEST:
        raise InputError(
            field,
            Code.DATE_OUT_OF_RANGE,
            f"Give a {field} from {EARLIEST:%Y-%m-%d} up to {LATEST:%Y-%m-%d} (UTC).",
        )
    return instant


def _require_exists(field: str, wall: datetime, zone: ZoneInfo) -> None:
    """A wall-clock time that a daylight-saving change skips (02:30 when clocks go from 02:00
    to 03:00) names no instant: storing either neighbour would move the convening."""
    try:
        back = wall.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)
    except (OverflowError, ValueError):
        return  # out of the hub's dates: in_zone says so
    if back.replace(tzinfo=None) != wall:
        raise InputError(
            field,
            Code.NONEXISTENT_LOCAL_TIME,
            f"{wall:%Y-%m-%d %H:%M} does not exist in {zone.key}: the clocks skip it "
            "for daylight saving time. Give a time before or after the change.",
        )


def capacity(value: int | None, going: int = 0) -> int | None:
    """A limit on places, never below the places already taken (`going`)."""
    if value is not None and value < 0:
        raise InputError("capacity", Code.NEGATIVE_CAPACITY, "Capacity cannot be negative.")
    if value is not None and value > MAX_CAPACITY:
        raise InputError(
            "capacity", Code.CAPACITY_TOO_LARGE, f"Capacity is at most {MAX_CAPACITY:,}."
        )
    if value is not None and value < going:
        raise InputError(
            "capacity",
            Code.CAPACITY_BELOW_GOING,
            f"{going} people are going already: give a capacity of at least {going}.",
        )
    return value


def delegate_limit(value: int | None) -> int | None:
    if value is not None and not 1 <= value <= MAX_DELEGATE_LIMIT:
        raise InputError(
            "delegateLimit",
            Code.INVALID_DELEGATE_LIMIT,
            f"A delegate limit is from 1 to {MAX_DELEGATE_LIMIT:,}.",
        )
    return value


def childcare_count(value: int) -> int:
    field = "needs.childcareCount"
    if value < 0:
        raise InputError(field, Code.NEGATIVE_CHILDCARE, "Childcare places cannot be negative.")
    if value > MAX_CHILDCARE:
        raise InputError(
            field,
            Code.CHILDCARE_TOO_LARGE,
            f"Ask for at most {MAX_CHILDCARE} childcare places; write to the hosts for more.",
        )
    return value


def languages(values: list[str]) -> list[str]:
    cleaned = [value.strip() for value in values if value.strip()]
    for value in cleaned:
        if len(value) > 8 or not LANGUAGE_PATTERN.match(value):
            raise InputError(
                "languages", Code.INVALID_LANGUAGE, f"{value!r} is not a language code like es."
            )
    return list(dict.fromkeys(cleaned))


def schedule(starts_at: datetime, ends_at: datetime, rsvp_deadline: datetime | None) -> None:
    if ends_at <= starts_at:
        raise InputError("endsAt", Code.ENDS_BEFORE_START, "A convening must end after it starts.")
    if rsvp_deadline is not None and rsvp_deadline > starts_at:
        raise InputError(
            "rsvpDeadline", Code.DEADLINE_AFTER_START, "The RSVP deadline must not pass the start."
        )

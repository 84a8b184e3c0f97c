"""Checks on convening and RSVP input, each raising an InputError that names the field."""

from __future__ import annotations

import re
from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from hub.convenings.errors import ConveningErrorCode as Code
from hub.errors import InputError

URL_PATTERN = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
# A BCP 47 language tag short enough for the column: "es", "zh-Hant", "tl".
LANGUAGE_PATTERN = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,4})?$")


def required_text(field: str, value: str | None, max_length: int) -> str:
    cleaned = (value or "").strip()
    if not cleaned:
        raise InputError(field, Code.REQUIRED, f"Give a {field}.")
    return optional_text(field, cleaned, max_length) or cleaned


def optional_text(field: str, value: str | None, max_length: int) -> str | None:
    cleaned = (value or "").strip()
    if len(cleaned) > max_length:
        raise InputError(field, Code.TOO_LONG, f"Keep the {field} under {max_length} characters.")
    return cleaned or None


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


def in_zone(value: datetime, zone: ZoneInfo) -> datetime:
    """A time as given: with an offset it is that instant; without one it is a wall-clock
    time in the convening's zone (09:00 stays 09:00 on both sides of a daylight-saving change)."""
    return value if value.tzinfo is not None else value.replace(tzinfo=zone)


def capacity(value: int | None) -> int | None:
    if value is not None and value < 0:
        raise InputError("capacity", Code.NEGATIVE_CAPACITY, "Capacity cannot be negative.")
    return value


def delegate_limit(value: int | None) -> int | None:
    if value is not None and value < 1:
        raise InputError(
            "delegateLimit", Code.INVALID_DELEGATE_LIMIT, "A delegate limit is at least 1."
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

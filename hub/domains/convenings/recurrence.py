"""Repeating convenings: "every 3 months on the second Thursday, 4 times" as wall-clock dates.

The rule is read by python-dateutil's `rrule` (RFC 5545 recurrence rules: FREQ, INTERVAL,
BYDAY, BYSETPOS, BYMONTHDAY, COUNT, UNTIL) rather than by hand: month lengths, fifth weeks and
"last Thursday" are its business. dateutil over `recurring-ical-events` because the hub makes
the dates once, into convenings of their own, and needs no calendar file to expand; icalendar
would still write the same rule as an RRULE if a series were ever sent as one.

Dates are made in wall-clock time (naive datetimes), then read in the convening's zone, so
10:00 in America/Los_Angeles stays 10:00 on both sides of a daylight-saving change."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import partial
from itertools import islice

from dateutil import rrule

from hub.common.errors import InputChecks, InputError
from hub.domains.convenings.errors import ConveningErrorCode as Code

# One series' worth: a weekly call for a year. More is a mistake more often than a plan.
MAX_OCCURRENCES = 52
MAX_INTERVAL = 12
SET_POSITIONS = (1, 2, 3, 4, -1)  # first .. fourth, last


class Frequency(enum.StrEnum):
    WEEKLY = "WEEKLY"
    MONTHLY = "MONTHLY"


class Weekday(enum.StrEnum):
    MO = "MO"
    TU = "TU"
    WE = "WE"
    TH = "TH"
    FR = "FR"
    SA = "SA"
    SU = "SU"


WEEKDAYS = {day: getattr(rrule, day.value) for day in Weekday}
FREQUENCIES = {Frequency.WEEKLY: rrule.WEEKLY, Frequency.MONTHLY: rrule.MONTHLY}


@dataclass(frozen=True)
class Recurrence:
    """Every `interval` weeks or months: on `by_weekday` (weekly: any of them; monthly: the
    `by_set_position`th of them), or on `by_month_day`; `count` times or until `until` (a
    date, inclusive). Unnamed days are the first start's, as RFC 5545 has it."""

    frequency: Frequency
    interval: int = 1
    by_weekday: tuple[Weekday, ...] = field(default_factory=tuple)
    by_set_position: int | None = None
    by_month_day: int | None = None
    count: int | None = None
    until: date | None = None


def occurrences(recurrence: Recurrence, first_start: datetime) -> list[datetime]:
    """The wall-clock starts the rule gives from `first_start` (naive, on or after it);
    every mistake in the rule at once, under `recurrence.<part>`."""
    _check(recurrence)
    rule = rrule.rrule(
        FREQUENCIES[recurrence.frequency],
        dtstart=first_start,
        interval=recurrence.interval,
        byweekday=[WEEKDAYS[d] for d in recurrence.by_weekday] or None,
        bysetpos=recurrence.by_set_position,
        bymonthday=recurrence.by_month_day,
        count=recurrence.count,
        until=datetime.combine(recurrence.until, time.max) if recurrence.until else None,
    )
    # One more than allowed, to tell "too many" from "exactly the limit".
    starts = list(islice(rule, MAX_OCCURRENCES + 1))
    if len(starts) > MAX_OCCURRENCES:
        raise InputError(
            "recurrence.until",
            Code.TOO_MANY_OCCURRENCES,
            f"This rule makes more than {MAX_OCCURRENCES} dates: end it sooner.",
        )
    if not starts:
        raise InputError(
            "recurrence", Code.NO_OCCURRENCES, "This rule makes no date after the first start."
        )
    return starts


def _check(recurrence: Recurrence) -> None:
    checks = InputChecks()
    for check in (_interval, _end, _days):
        checks.keep({}, "rule", partial(check, recurrence))
    checks.raise_found()


def _interval(recurrence: Recurrence) -> None:
    if not 1 <= recurrence.interval <= MAX_INTERVAL:
        raise InputError(
            "recurrence.interval",
            Code.INVALID_INTERVAL,
            f"Repeat every 1 to {MAX_INTERVAL} weeks or months.",
        )


def _end(recurrence: Recurrence) -> None:
    if recurrence.count is None and recurrence.until is None:
        raise InputError(
            "recurrence.count",
            Code.RECURRENCE_END_REQUIRED,
            "Say how many times, or until when.",
        )
    if recurrence.count is not None and recurrence.until is not None:
        raise InputError(
            "recurrence.until",
            Code.INVALID_RECURRENCE,
            "Say how many times or until when, not both.",
        )
    if recurrence.count is not None and not 1 <= recurrence.count <= MAX_OCCURRENCES:
        raise InputError(
            "recurrence.count",
            Code.TOO_MANY_OCCURRENCES,
            f"Schedule from 1 to {MAX_OCCURRENCES} dates at once.",
        )


def _days(recurrence: Recurrence) -> None:
    """Weekly rules name weekdays only; monthly ones one weekday and its week, or a day of
    the month, or neither (the first start's day of the month)."""
    position, month_day = recurrence.by_set_position, recurrence.by_month_day
    if recurrence.frequency == Frequency.WEEKLY:
        wrong = position is not None or month_day is not None
    else:
        by_week = position is not None or bool(recurrence.by_weekday)
        wrong = (by_week and month_day is not None) or (
            by_week and (len(recurrence.by_weekday) != 1 or position not in SET_POSITIONS)
        )
        wrong = wrong or (month_day is not None and not 1 <= month_day <= 31)
    if wrong:
        raise InputError(
            "recurrence.byWeekday",
            Code.INVALID_RECURRENCE,
            "Monthly: choose a weekday and its week (1st to 4th, or last), or a day of the "
            "month. Weekly: choose weekdays only.",
        )

"""The scheduling form's fields, read from a posted form into the API's input: what a page
can tell without the API (a number that is no number, a date that is no date) it reports
beside the field; everything else the API decides, and its errors land beside their fields."""

from __future__ import annotations

import secrets
from datetime import datetime
from functools import cache
from typing import Any
from zoneinfo import available_timezones

from starlette.datastructures import FormData

from hub.infrastructure.search import folded
from hub.interfaces.web.pages.messages import N_, field_errors
from hub.interfaces.web.pages.page import Page

KINDS = ("STRATEGY_SESSION", "COMMITTEE_MEETING", "TRAINING", "CAUCUS_CALL")
VISIBILITIES = ("MEMBERS", "PUBLIC", "COMMITTEE")
TEXTS = ("title", "description", "venueName", "venueAddress", "virtualUrl")
NUMBERS = ("capacity", "delegateLimit")
TIMES = ("startsAt", "endsAt", "rsvpDeadline")
# Host fields: three shown, and one more than a convening's hosts when it has more.
HOSTS = tuple(f"host{n}" for n in range(1, 11))
SHOWN_HOSTS = 3
# The zones most of the alliance's convenings are in, first in the list.
US_ZONES = (
    "America/Los_Angeles",
    "America/Denver",
    "America/Phoenix",
    "America/Chicago",
    "America/New_York",
    "America/Anchorage",
    "Pacific/Honolulu",
)
# The API's fields, as the form names them.
FORM_FIELD = {
    "hostIds": "host1",
    "seriesSlug": "series",
    "schedule": "endsAt",
    "id": "",
    "recurrence": "count",
    "recurrence.count": "count",
    "recurrence.until": "until",
    "recurrence.interval": "interval",
    "recurrence.byWeekday": "weekday",
}

# The scheduling forms' error codes in words (translated where they show).
MESSAGES = {
    "NOT_A_NUMBER": N_("Enter a whole number, or leave this empty."),
    "NOT_A_TIME": N_("Enter a date and a time."),
    "NOT_A_DATE": N_("Enter a date."),
    "CHOOSE_ONE": N_("Choose one of the list."),
    "INVALID_URL": N_("Enter the link as an address starting with https://."),
    "INVALID_TIME_ZONE": N_("Choose a time zone from the list."),
    "ENDS_BEFORE_START": N_("The end must come after the start."),
    "DEADLINE_AFTER_START": N_("The RSVP deadline must be before the start."),
    "NEGATIVE_CAPACITY": N_("Capacity cannot be negative."),
    "CAPACITY_TOO_LARGE": N_("Capacity is at most 100,000."),
    "CAPACITY_BELOW_GOING": N_(
        "More people are going already: give a capacity of at least that many."
    ),
    "INVALID_DELEGATE_LIMIT": N_("A delegate limit is from 1 to 1,000."),
    "INVALID_LANGUAGE": N_("Enter language codes such as es or ko, separated by commas."),
    "PLACE_REQUIRED": N_("Give a venue, an online link, or both."),
    "HOST_REQUIRED": N_("Name at least one host organization."),
    "NOT_YOUR_ORGANIZATION": N_("Host it with an organization you are a contact of."),
    "UNKNOWN_SERIES": N_("Choose a series from the list."),
    "INVALID_CHARACTERS": N_("Use letters, numbers and punctuation only."),
    "DATE_OUT_OF_RANGE": N_("Choose a date between 1970 and 2199."),
    "NONEXISTENT_LOCAL_TIME": N_(
        "The clocks skip this time for daylight saving time: choose another."
    ),
    "SERIES_NAME_TAKEN": N_("A series has this name already."),
    "INVALID_INTERVAL": N_("Repeat every 1 to 12 weeks or months."),
    "INVALID_RECURRENCE": N_(
        "Monthly: choose a weekday and its week, or a day of the month. Weekly: a weekday only."
    ),
    "RECURRENCE_END_REQUIRED": N_("Say how many times, or until when."),
    "TOO_MANY_OCCURRENCES": N_("Schedule at most 52 dates at once."),
    "NO_OCCURRENCES": N_("This rule gives no date: check the first date and the end."),
    "SERIES_REQUIRED": N_("Choose a series, or name a new one."),
    "ALREADY_CANCELLED": N_("This convening is cancelled already."),
    "CONFIRM_REQUIRED": N_("Tick the box to confirm."),
}


@cache
def zone_choices() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The US zones, then every other IANA zone by name."""
    others = sorted(z for z in available_timezones() - set(US_ZONES) if "/" in z)
    return US_ZONES, tuple(others)


def form_key() -> str:
    """A new form's key: the API makes one convening (or series of dates) per key."""
    return secrets.token_urlsafe(16)


def typed(form: FormData) -> dict[str, Any]:
    """What was typed, to show the form again as it was."""
    values: dict[str, Any] = {k: str(v) for k, v in form.items() if k != "csrf_token"}
    values["weekdays"] = [str(day) for day in form.getlist("weekdays")]
    return values


class FieldError(Exception):
    """A field the page itself can tell is wrong, by its error code."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _number(value: str) -> int | None:
    cleaned = value.strip()
    if not cleaned:
        return None
    if not cleaned.lstrip("-").isdigit():
        raise FieldError("NOT_A_NUMBER")
    return int(cleaned)


def _time(value: str) -> str | None:
    """A datetime-local value ("2027-01-14T10:00"), passed on without an offset: the API reads
    it in the convening's zone."""
    cleaned = value.strip()
    if not cleaned:
        return None
    try:
        return datetime.fromisoformat(cleaned).replace(tzinfo=None).isoformat()
    except ValueError as error:
        raise FieldError("NOT_A_TIME") from error


def read_fields(form: FormData, errors: dict[str, str]) -> dict[str, Any]:
    """The template's fields as the API's input (absent ones None); page-side mistakes in
    `errors`."""
    values: dict[str, Any] = {name: str(form.get(name) or "") for name in TEXTS}
    for name, reader in [*((n, _number) for n in NUMBERS), *((n, _time) for n in TIMES)]:
        try:
            values[name] = reader(str(form.get(name) or ""))
        except FieldError as error:
            errors[name] = error.code
    for name, choices in (("kind", KINDS), ("visibility", VISIBILITIES)):
        values[name] = _choice(form, name, choices, errors)
    values["timeZone"] = str(form.get("timeZone") or "")
    values["languages"] = [c.strip() for c in str(form.get("languages") or "").split(",")]
    for name in ("venueName", "venueAddress", "virtualUrl"):
        values[name] = values[name].strip() or None
    return values


def _choice(form: FormData, name: str, choices: tuple[str, ...], errors: dict[str, str]) -> str:
    chosen = str(form.get(name) or "")
    if chosen not in choices:
        errors[name] = "CHOOSE_ONE"
    return chosen


async def host_ids(page: Page, form: FormData, errors: dict[str, str]) -> list[str]:
    """The organizations named in the host fields, found through the directory's search: a
    name must match one organization's (accents and case aside)."""
    found = []
    for field in HOSTS:
        name = str(form.get(field) or "").strip()
        if not name:
            continue
        data = await page.query("organizationsNamed", {"name": name})
        same = [
            edge["node"]["id"]
            for edge in data["organizations"]["edges"]
            if folded(edge["node"]["name"]) == folded(name)
        ]
        if len(same) == 1:
            found.append(same[0])
        else:
            errors[field] = "UNKNOWN_ORGANIZATION"
    if not found and not any(f in errors for f in HOSTS):
        errors["host1"] = "HOST_REQUIRED"
    return found


def api_errors(errors: list[dict[str, str]]) -> dict[str, str]:
    """The payload's errors by the form's field names."""
    return {FORM_FIELD.get(field, field): code for field, code in field_errors(errors).items()}


def shown_fields(convening: dict[str, Any]) -> dict[str, Any]:
    """A stored convening as the form shows it: times on the convening's own wall clock."""
    values: dict[str, Any] = {name: convening.get(name) or "" for name in TEXTS}
    for name in TIMES:
        values[name] = (convening.get(name) or "")[:16]
    for name in (*NUMBERS, "kind", "visibility", "timeZone"):
        value = convening.get(name)
        values[name] = "" if value is None else str(value)
    values["languages"] = ", ".join(convening.get("languages") or [])
    values["series"] = (convening.get("series") or {}).get("slug", "")
    for field, host in zip(HOSTS, convening.get("hosts") or [], strict=False):
        values[field] = host["name"]
    return values


def host_fields(values: dict[str, Any]) -> tuple[str, ...]:
    """The host fields a form shows: three, or one more than those filled (up to ten)."""
    filled = sum(1 for field in HOSTS if values.get(field))
    return HOSTS[: min(max(SHOWN_HOSTS, filled + 1), len(HOSTS))]

"""Scheduling repeating convenings: one form, a recurrence rule, and a convening of its own
for each date, all in one series and one transaction (a mistake anywhere writes none).

The first start and end are wall-clock times in the convening's zone; every occurrence keeps
them (and the RSVP deadline's lead) in wall-clock time, so a 10:00 meeting is at 10:00 in
winter and in summer alike, its UTC offset changing with daylight saving."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from hub.access.auth.viewer import Viewer
from hub.access.permissions import convenings as rules
from hub.common.errors import InputChecks, InputError, InputErrors
from hub.common.unset import UNSET, is_set
from hub.delivery.notifications import convenings as notify
from hub.domains.convenings import creation_keys, schedule, series
from hub.domains.convenings import validation as valid
from hub.domains.convenings.errors import ConveningErrorCode as Code
from hub.domains.convenings.recurrence import Recurrence, occurrences
from hub.infrastructure.models import Convening, ConveningSeries


@dataclass(frozen=True)
class Occurrence:
    """One date of the rule, as UTC instants."""

    starts_at: datetime
    ends_at: datetime
    rsvp_deadline: datetime | None


@dataclass(frozen=True)
class SeriesChoice:
    """The series the convenings join: an existing one by slug, or a new one by name."""

    slug: str | None = None
    new_name: str | None = None


def preview(
    viewer: Viewer, template: schedule.ConveningChanges, rule: Recurrence
) -> list[Occurrence]:
    """The dates the rule makes, writing nothing."""
    rules.require_may_schedule(viewer)
    return plan(template, rule)


def plan(template: schedule.ConveningChanges, rule: Recurrence) -> list[Occurrence]:
    """Every occurrence's times, or every mistake in the times and the rule at once."""
    checks = InputChecks()
    found: dict[str, Any] = {}
    checks.keep(found, "zone", lambda: valid.time_zone(_given(template.time_zone) or ""))
    zone = found.get("zone")
    if zone is None:
        checks.raise_found()
    assert isinstance(zone, ZoneInfo)
    checks.keep(found, "start", lambda: _wall("startsAt", template.starts_at, zone))
    checks.keep(found, "end", lambda: _wall("endsAt", template.ends_at, zone))
    checks.keep(found, "deadline", lambda: _deadline(template.rsvp_deadline, zone))
    checks.raise_found()
    start, end, deadline = found["start"], found["end"], found["deadline"]
    if end <= start:
        raise InputError("endsAt", Code.ENDS_BEFORE_START, "A convening must end after it starts.")
    if deadline is not None and deadline > start:
        raise InputError(
            "rsvpDeadline", Code.DEADLINE_AFTER_START, "The RSVP deadline must not pass the start."
        )
    lead = start - deadline if deadline is not None else None
    return [_occurrence(s, end - start, lead, zone) for s in occurrences(rule, start)]


def _occurrence(
    start: datetime, length: timedelta, lead: timedelta | None, zone: ZoneInfo
) -> Occurrence:
    # Wall-clock arithmetic, then each time read in the zone (and refused if the clocks
    # skip it there): the length and lead are kept as the clock on the wall shows them.
    return Occurrence(
        starts_at=valid.in_zone("startsAt", start, zone),
        ends_at=valid.in_zone("endsAt", start + length, zone),
        rsvp_deadline=valid.in_zone("rsvpDeadline", start - lead, zone) if lead else None,
    )


def _given(value: Any) -> Any:
    return value if is_set(value) else None


def _wall(field: str, value: Any, zone: ZoneInfo) -> datetime:
    if not isinstance(_given(value), datetime):
        raise InputError(field, Code.REQUIRED, f"Give the convening's {field}.")
    return _as_wall(value, zone)


def _deadline(value: Any, zone: ZoneInfo) -> datetime | None:
    return _as_wall(value, zone) if isinstance(_given(value), datetime) else None


def _as_wall(value: datetime, zone: ZoneInfo) -> datetime:
    """A time as the zone's wall clock shows it (one with an offset is that instant there)."""
    if value.tzinfo is None:
        return value
    return value.astimezone(zone).replace(tzinfo=None)


async def schedule_repeating(
    session: AsyncSession,
    viewer: Viewer,
    template: schedule.ConveningChanges,
    rule: Recurrence,
    choice: SeriesChoice,
    *,
    form_key: str | None = None,
) -> list[Convening]:
    """A convening for each date of the rule, in the chosen series, soonest first. The same
    form sent again gets the convenings the first sending made."""
    rules.require_may_schedule(viewer)
    made = await creation_keys.made_by_form(session, viewer, form_key)
    if made:
        return made
    dates, cleaned = await _checked(session, viewer, template, rule, choice)
    try:
        joined = await _series(session, viewer, choice)
    except InputError:
        # A sending of the same form that raced this one made the series (and its dates).
        made = await creation_keys.made_by_form(session, viewer, form_key)
        if made:
            return made
        raise
    return await _insert_all(session, viewer, cleaned, dates, joined, form_key)


async def _checked(
    session: AsyncSession,
    viewer: Viewer,
    template: schedule.ConveningChanges,
    rule: Recurrence,
    choice: SeriesChoice,
) -> tuple[list[Occurrence], dict[str, Any]]:
    """The dates and the template's checked fields; every mistake in either at once."""
    checks = InputChecks()
    dates: list[Occurrence] = []
    try:
        dates = plan(template, rule)
    except InputError as error:
        checks.found.extend(error.errors)
    if choice.new_name is None and not (choice.slug or "").strip():
        checks.refuse(
            InputError("seriesSlug", Code.SERIES_REQUIRED, "Choose a series, or name a new one.")
        )
    # The template is checked with the first date's times (when the rule gave any): what
    # holds for it holds for every date, which differ from it only in their day.
    first = dates[0] if dates else None
    given = replace(
        template,
        starts_at=first.starts_at if first else UNSET,
        ends_at=first.ends_at if first else UNSET,
        rsvp_deadline=first.rsvp_deadline if first else UNSET,
        series_slug=choice.slug if choice.new_name is None else None,
    ).given()
    for name in ("title", "kind", "host_ids"):
        if given.get(name) is None:
            given.pop(name, None)
            checks.refuse(InputError(_camel(name), Code.REQUIRED, f"Give the {_camel(name)}."))
    try:
        cleaned = await schedule.cleaned_changes(
            session, viewer, schedule.new_convening(), given, checks
        )
    except InputErrors as errors:
        # The zone is checked by the plan and by the template's checks: say it once.
        once = {(e.field, e.code): e for e in errors.errors}
        raise InputErrors(list(once.values())) from errors
    return dates, cleaned


async def _series(
    session: AsyncSession, viewer: Viewer, choice: SeriesChoice
) -> ConveningSeries | None:
    if choice.new_name is None:
        return None  # the template's series_slug was checked and named it
    try:
        return await series.create_series(session, viewer, choice.new_name)
    except InputError as error:
        raise InputError("newSeriesName", error.code, error.message) from error


async def _insert_all(
    session: AsyncSession,
    viewer: Viewer,
    cleaned: dict[str, Any],
    dates: list[Occurrence],
    joined: ConveningSeries | None,
    form_key: str | None,
) -> list[Convening]:
    made = []
    for n, date in enumerate(dates, start=1):
        fields = dict(cleaned, host_ids=list(cleaned["host_ids"]))
        fields.update(starts_at=date.starts_at, ends_at=date.ends_at)
        fields["rsvp_deadline"] = date.rsvp_deadline
        if joined is not None:
            fields["series_id"] = joined.id
        convening = schedule.new_convening()
        key = creation_keys.key_of(viewer, form_key, n)
        if not await schedule.insert_convening(session, convening, fields, key):
            return await creation_keys.made_by_form(session, viewer, form_key)
        made.append(convening)
    for convening in made:
        await notify.convening_created(session, convening)
    return made


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)

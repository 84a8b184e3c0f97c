"""The back office's scheduling: series (listed, created, renamed) and repeating convenings
(their dates previewed, then scheduled at once). Thin over hub/domains/convenings/series.py and
repeating.py; the rules are in hub/access/permissions/convenings.py."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import strawberry

from hub.common.errors import InputError
from hub.domains.convenings import repeating
from hub.domains.convenings import series as series_service
from hub.domains.convenings.errors import ConveningErrorCode as Code
from hub.domains.convenings.recurrence import Frequency, Recurrence, Weekday
from hub.infrastructure.models import ConveningSeries as SeriesRow
from hub.interfaces.graphql.connection import Connection, connection_of
from hub.interfaces.graphql.context import Context
from hub.interfaces.graphql.convenings.enums import ConveningKind, Visibility
from hub.interfaces.graphql.convenings.mutations import _changes, _errors
from hub.interfaces.graphql.convenings.types import Convening, ConveningError, ConveningSeries
from hub.interfaces.graphql.mutation import attempt, input_pk

Info = strawberry.Info[Context, None]

strawberry.enum(Frequency, name="RecurrenceFrequency", description="How often a rule repeats.")
strawberry.enum(Weekday, description="A day of the week, as iCalendar names it (MO .. SU).")


@strawberry.input(
    description="A recurrence rule, read as iCalendar's RRULE: every `interval` weeks or "
    "months, `count` times or until `until` (inclusive; one of them is required; at most 52 "
    "dates). The dates start on or after the first start."
)
class RecurrenceInput:
    frequency: Frequency
    interval: int = 1
    by_weekday: list[Weekday] = strawberry.field(
        default_factory=list,
        description="Weekly: the weekdays (the first start's when empty). Monthly: one "
        "weekday, with `bySetPosition`.",
    )
    by_set_position: int | None = strawberry.field(
        default=None, description="Monthly: which of the month's `byWeekday`: 1 to 4, or -1 (last)."
    )
    by_month_day: int | None = strawberry.field(
        default=None, description="Monthly: a day of the month (1 to 31) instead."
    )
    count: int | None = None
    until: date | None = None

    def to_rule(self) -> Recurrence:
        return Recurrence(
            frequency=Frequency(self.frequency),
            interval=self.interval,
            by_weekday=tuple(Weekday(day) for day in self.by_weekday),
            by_set_position=self.by_set_position,
            by_month_day=self.by_month_day,
            count=self.count,
            until=self.until,
        )


@strawberry.input(description="The first date's times and the rule: what a preview needs.")
class RepeatingConveningDatesInput:
    starts_at: datetime = strawberry.field(
        description="The first start, as a wall-clock time in `timeZone`; every date keeps it."
    )
    ends_at: datetime
    time_zone: str
    rsvp_deadline: datetime | None = strawberry.field(
        default=None, description="Before the first start; each date keeps the same lead."
    )
    recurrence: RecurrenceInput


@strawberry.input(
    description="A convening to repeat, the rule, and the series the dates join (an existing "
    "one by `seriesSlug`, or a new one named `newSeriesName`)."
)
class ScheduleRepeatingConveningsInput:
    title: str
    kind: ConveningKind
    starts_at: datetime = strawberry.field(
        description="The first start, as a wall-clock time in `timeZone`; every date keeps it."
    )
    ends_at: datetime
    time_zone: str
    host_ids: list[strawberry.ID]
    recurrence: RecurrenceInput
    series_slug: str | None = None
    new_series_name: str | None = None
    description: str = ""
    venue_name: str | None = None
    venue_address: str | None = None
    virtual_url: str | None = None
    capacity: int | None = None
    delegate_limit: int | None = None
    rsvp_deadline: datetime | None = None
    languages: list[str] = strawberry.field(default_factory=list)
    visibility: Visibility = Visibility.MEMBERS  # type: ignore[assignment]
    idempotency_key: str | None = strawberry.field(
        default=None,
        description="Any string unique to one form shown: sent again, the same key gets the "
        "convenings the first sending made.",
    )


@strawberry.input
class CreateConveningSeriesInput:
    name: str


@strawberry.input(description="Renames a series; its slug stays, for those who filter by it.")
class RenameConveningSeriesInput:
    id: strawberry.ID
    name: str


@strawberry.type(description="One date of a repeating convening, in its own time zone.")
class ConveningDates:
    starts_at: datetime
    ends_at: datetime
    rsvp_deadline: datetime | None


@strawberry.type
class RepeatingConveningDates:
    dates: list[ConveningDates]
    errors: list[ConveningError]


@strawberry.type
class ScheduleRepeatingConveningsPayload:
    convenings: list[Convening]
    errors: list[ConveningError]


@strawberry.type
class CreateConveningSeriesPayload:
    series: ConveningSeries | None
    errors: list[ConveningError]


@strawberry.type
class RenameConveningSeriesPayload:
    series: ConveningSeries | None
    errors: list[ConveningError]


def _dates(
    given: RepeatingConveningDatesInput, found: list[repeating.Occurrence]
) -> list[ConveningDates]:
    zone = ZoneInfo(given.time_zone.strip())
    return [
        ConveningDates(
            starts_at=o.starts_at.astimezone(zone),
            ends_at=o.ends_at.astimezone(zone),
            rsvp_deadline=o.rsvp_deadline.astimezone(zone) if o.rsvp_deadline else None,
        )
        for o in found
    ]


def _series_pk(global_id: str) -> int:
    return input_pk(global_id, "ConveningSeries", "id", Code.UNKNOWN_SERIES)


@strawberry.type
class SchedulingQuery:
    @strawberry.field(
        description="Every series, by name: for those who schedule convenings (admins and "
        "organizations' contacts)."
    )
    async def convening_series(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[ConveningSeries]:
        statement = series_service.all_series(info.context.viewer)
        order = [SeriesRow.name, SeriesRow.id]
        return await connection_of(
            info.context, statement, order, ConveningSeries.from_model, first, after
        )

    @strawberry.field(
        description="The dates a repeating convening would have, in its zone; writes nothing. "
        "For those who schedule convenings."
    )
    async def repeating_convening_dates(
        self, info: Info, input: RepeatingConveningDatesInput
    ) -> RepeatingConveningDates:
        template = repeating.schedule.ConveningChanges(
            starts_at=input.starts_at,
            ends_at=input.ends_at,
            time_zone=input.time_zone,
            rsvp_deadline=input.rsvp_deadline,
        )
        try:
            found = repeating.preview(info.context.viewer, template, input.recurrence.to_rule())
        except InputError as error:
            return RepeatingConveningDates(dates=[], errors=_errors(error.errors))
        return RepeatingConveningDates(dates=_dates(input, found), errors=[])


@strawberry.type
class SchedulingMutation:
    @strawberry.mutation(description="Starts a series of convenings. Admins only.")
    async def create_convening_series(
        self, info: Info, input: CreateConveningSeriesInput
    ) -> CreateConveningSeriesPayload:
        c = info.context
        made, errors = await attempt(
            c, lambda: series_service.create_series(c.session, c.viewer, input.name)
        )
        return CreateConveningSeriesPayload(
            series=ConveningSeries.from_model(made) if made else None, errors=_errors(errors)
        )

    @strawberry.mutation(description="Renames a series (its slug stays). Admins only.")
    async def rename_convening_series(
        self, info: Info, input: RenameConveningSeriesInput
    ) -> RenameConveningSeriesPayload:
        c = info.context
        renamed, errors = await attempt(
            c,
            lambda: series_service.rename_series(
                c.session, c.viewer, _series_pk(input.id), input.name
            ),
        )
        return RenameConveningSeriesPayload(
            series=ConveningSeries.from_model(renamed) if renamed else None,
            errors=_errors(errors),
        )

    @strawberry.mutation(
        description="Schedules a convening for each date of a recurrence rule, all in one "
        "series, at once: a mistake anywhere schedules none. Admins, and contacts for their "
        "organization (a new series: admins only)."
    )
    async def schedule_repeating_convenings(
        self, info: Info, input: ScheduleRepeatingConveningsInput
    ) -> ScheduleRepeatingConveningsPayload:
        c = info.context
        choice = repeating.SeriesChoice(slug=input.series_slug, new_name=input.new_series_name)
        made, errors = await attempt(
            c,
            lambda: repeating.schedule_repeating(
                c.session,
                c.viewer,
                _changes(input),
                input.recurrence.to_rule(),
                choice,
                form_key=input.idempotency_key,
            ),
        )
        convenings = [Convening.from_model(row) for row in made or []]
        return ScheduleRepeatingConveningsPayload(convenings=convenings, errors=_errors(errors))

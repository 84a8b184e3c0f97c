"""Repeating convenings: the quarterly committee meeting ("every 3 months on the second
Thursday, 4 times") across a daylight-saving change, the preview that writes nothing, the
rule's limits, one transaction for all dates, and a form sent twice scheduling once."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from hub.infrastructure.models import Convening, ConveningSeries
from tests.convenings.factories import create_contact, create_member, create_series
from tests.factories import create_admin, create_organization
from tests.graphql.convenings.documents import gid

SCHEDULE = """
mutation ($input: ScheduleRepeatingConveningsInput!) {
  scheduleRepeatingConvenings(input: $input) {
    convenings { title startsAt endsAt rsvpDeadline timeZone series { slug name } hosts { name } }
    errors { field code message }
  }
}
"""

PREVIEW = """
query ($input: RepeatingConveningDatesInput!) {
  repeatingConveningDates(input: $input) {
    dates { startsAt endsAt rsvpDeadline }
    errors { field code }
  }
}
"""

QUARTERLY = {"frequency": "MONTHLY", "interval": 3, "byWeekday": ["TH"], "bySetPosition": 2}
LOS_ANGELES = ZoneInfo("America/Los_Angeles")


def quarterly_input(host_id: int, **fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title": "Coordinating Committee",
        "kind": "COMMITTEE_MEETING",
        "startsAt": "2027-01-01T10:00:00",
        "endsAt": "2027-01-01T12:00:00",
        "timeZone": "America/Los_Angeles",
        "hostIds": [gid("Organization", host_id)],
        "virtualUrl": "https://meet.example.org/committee",
        "newSeriesName": "2027 Coordinating Committee",
        "recurrence": {**QUARTERLY, "count": 4},
    }
    values.update(fields)
    return {"input": values}


async def _counts(runtime: Any) -> tuple[int, int]:
    async with runtime.sessions() as session:
        convenings = await session.scalar(select(func.count()).select_from(Convening))
        series = await session.scalar(select(func.count()).select_from(ConveningSeries))
        return int(convenings or 0), int(series or 0)


async def test_the_quarterly_committee_meeting_keeps_10_00_across_daylight_saving(
    session, gql, runtime
):
    # Given an admin and the host organization
    admin = await create_admin(session)
    host = await create_organization(session, name="SCOPE")
    await session.commit()
    # When they schedule "every 3 months on the second Thursday, 4 times" from January 1
    body = await gql(SCHEDULE, quarterly_input(host.id), as_=admin)
    # Then four convenings, on the second Thursdays of January, April, July and October
    payload = body["data"]["scheduleRepeatingConvenings"]
    assert payload["errors"] == []
    starts = [datetime.fromisoformat(c["startsAt"]) for c in payload["convenings"]]
    assert [s.date().isoformat() for s in starts] == [
        "2027-01-14",
        "2027-04-08",
        "2027-07-08",
        "2027-10-14",
    ]
    # each at 10:00 in Los Angeles, in winter (UTC-8) and in summer time (UTC-7) alike
    assert [s.astimezone(LOS_ANGELES).strftime("%H:%M") for s in starts] == ["10:00"] * 4
    offsets = [s.utcoffset().total_seconds() / 3600 for s in starts]  # type: ignore[union-attr]
    assert offsets == [-8, -7, -7, -7]  # daylight saving runs March to November
    assert [c["endsAt"][11:16] for c in payload["convenings"]] == ["12:00"] * 4
    # all in the new series, hosted by SCOPE
    assert {c["series"]["name"] for c in payload["convenings"]} == {"2027 Coordinating Committee"}
    assert {c["hosts"][0]["name"] for c in payload["convenings"]} == {"SCOPE"}
    # and stored in UTC at 18:00 in winter, 17:00 in summer time
    async with runtime.sessions() as fresh:
        starts_at = select(Convening.starts_at).order_by(Convening.starts_at)
        stored = list(await fresh.scalars(starts_at))
    assert [s.hour for s in stored] == [18, 17, 17, 17]


async def test_the_preview_shows_the_dates_and_writes_nothing(session, gql, runtime):
    admin = await create_admin(session)
    await session.commit()
    variables = {
        "input": {
            "startsAt": "2027-01-01T10:00:00",
            "endsAt": "2027-01-01T12:00:00",
            "rsvpDeadline": "2026-12-25T17:00:00",
            "timeZone": "America/Los_Angeles",
            "recurrence": {**QUARTERLY, "bySetPosition": -1, "count": 2},
        }
    }
    data = await gql.data(PREVIEW, variables, as_=admin)
    # The last Thursdays, each deadline the same 7 days and 17 hours ahead in wall-clock time
    assert data["repeatingConveningDates"] == {
        "dates": [
            {
                "startsAt": "2027-01-28T10:00:00-08:00",
                "endsAt": "2027-01-28T12:00:00-08:00",
                "rsvpDeadline": "2027-01-21T17:00:00-08:00",
            },
            {
                "startsAt": "2027-04-29T10:00:00-07:00",
                "endsAt": "2027-04-29T12:00:00-07:00",
                "rsvpDeadline": "2027-04-22T17:00:00-07:00",
            },
        ],
        "errors": [],
    }
    assert await _counts(runtime) == (0, 0)


async def test_weekly_and_day_of_month_rules(session, gql):
    admin = await create_admin(session)
    await session.commit()
    base = {
        "startsAt": "2027-03-01T18:30:00",
        "endsAt": "2027-03-01T19:30:00",
        "timeZone": "America/New_York",
    }
    weekly = {"frequency": "WEEKLY", "interval": 2, "byWeekday": ["TU", "TH"], "count": 4}
    monthly = {"frequency": "MONTHLY", "byMonthDay": 31, "until": "2027-08-31"}
    found = []
    for rule in (weekly, monthly):
        data = await gql.data(PREVIEW, {"input": {**base, "recurrence": rule}}, as_=admin)
        found.append([d["startsAt"] for d in data["repeatingConveningDates"]["dates"]])
    # Every other week on Tuesday and Thursday, across the March change (EST to EDT)
    assert found[0] == [
        "2027-03-02T18:30:00-05:00",
        "2027-03-04T18:30:00-05:00",
        "2027-03-16T18:30:00-04:00",
        "2027-03-18T18:30:00-04:00",
    ]
    # The 31st, in the months that have one, until the end of August (inclusive)
    assert [s[:10] for s in found[1]] == ["2027-03-31", "2027-05-31", "2027-07-31", "2027-08-31"]


async def test_bad_rules_and_times_are_reported_per_field_and_write_nothing(session, gql, runtime):
    admin = await create_admin(session)
    host = await create_organization(session)
    await session.commit()
    cases = {
        "no end": ({"recurrence": QUARTERLY}, [("recurrence.count", "RECURRENCE_END_REQUIRED")]),
        "too many": (
            {"recurrence": {**QUARTERLY, "count": 53}},
            [("recurrence.count", "TOO_MANY_OCCURRENCES")],
        ),
        "until too far": (
            {"recurrence": {"frequency": "WEEKLY", "until": "2029-01-01"}},
            [("recurrence.until", "TOO_MANY_OCCURRENCES")],
        ),
        "interval": (
            {"recurrence": {**QUARTERLY, "interval": 0, "count": 4}},
            [("recurrence.interval", "INVALID_INTERVAL")],
        ),
        "week of a weekly rule": (
            {"recurrence": {"frequency": "WEEKLY", "bySetPosition": 2, "count": 4}},
            [("recurrence.byWeekday", "INVALID_RECURRENCE")],
        ),
        "fifth week": (
            {"recurrence": {**QUARTERLY, "bySetPosition": 5, "count": 4}},
            [("recurrence.byWeekday", "INVALID_RECURRENCE")],
        ),
        "until before the start": (
            {"recurrence": {**QUARTERLY, "until": "2026-01-01"}},
            [("recurrence", "NO_OCCURRENCES")],
        ),
        "end before start": (
            {"endsAt": "2027-01-01T09:00:00"},
            [("endsAt", "ENDS_BEFORE_START")],
        ),
        "deadline after start": (
            {"rsvpDeadline": "2027-01-01T11:00:00"},
            [("rsvpDeadline", "DEADLINE_AFTER_START")],
        ),
        "unknown zone": ({"timeZone": "Mars/Olympus"}, [("timeZone", "INVALID_TIME_ZONE")]),
        "no series": (
            {"newSeriesName": None},
            [("seriesSlug", "SERIES_REQUIRED")],
        ),
        "unknown series": (
            {"newSeriesName": None, "seriesSlug": "nope"},
            [("seriesSlug", "UNKNOWN_SERIES")],
        ),
        "several at once": (
            {"title": " ", "capacity": -1, "recurrence": {**QUARTERLY, "count": 0}},
            [
                ("recurrence.count", "TOO_MANY_OCCURRENCES"),
                ("title", "REQUIRED"),
                ("capacity", "NEGATIVE_CAPACITY"),
            ],
        ),
    }
    for name, (fields, expected) in cases.items():
        body = await gql(SCHEDULE, quarterly_input(host.id, **fields), as_=admin)
        payload = body["data"]["scheduleRepeatingConvenings"]
        found = [(e["field"], e["code"]) for e in payload["errors"]]
        assert sorted(found) == sorted(expected), name
        assert payload["convenings"] == [], name
    assert await _counts(runtime) == (0, 0)


async def test_a_time_the_clocks_skip_on_one_date_schedules_none(session, gql, runtime):
    # 02:30 on the second Sunday of March does not exist in Los Angeles
    admin = await create_admin(session)
    host = await create_organization(session)
    await session.commit()
    fields = {
        "startsAt": "2027-02-14T02:30:00",
        "endsAt": "2027-02-14T04:00:00",
        "recurrence": {"frequency": "MONTHLY", "byWeekday": ["SU"], "bySetPosition": 2, "count": 3},
    }
    body = await gql(SCHEDULE, quarterly_input(host.id, **fields), as_=admin)
    errors = body["data"]["scheduleRepeatingConvenings"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("startsAt", "NONEXISTENT_LOCAL_TIME")]
    assert await _counts(runtime) == (0, 0)


async def test_the_same_form_sent_twice_schedules_once(session, gql, runtime):
    admin = await create_admin(session)
    host = await create_organization(session)
    await session.commit()
    variables = quarterly_input(host.id, idempotencyKey="form-7f3a")
    first = await gql.data(SCHEDULE, variables, as_=admin)
    again = await gql.data(SCHEDULE, variables, as_=admin)
    assert again == first
    assert await _counts(runtime) == (4, 1)


async def test_two_sendings_at_once_schedule_once(session, gql, runtime):
    admin = await create_admin(session)
    host = await create_organization(session)
    await session.commit()
    variables = quarterly_input(host.id, idempotencyKey="form-race")
    answers = await asyncio.gather(*(gql(SCHEDULE, variables, as_=admin) for _ in range(3)))
    payloads = [a["data"]["scheduleRepeatingConvenings"] for a in answers]
    assert all(p["errors"] == [] and len(p["convenings"]) == 4 for p in payloads), payloads
    assert await _counts(runtime) == (4, 1)


async def test_a_contact_schedules_into_an_existing_series_but_may_not_start_one(
    session, gql, runtime
):
    host = await create_organization(session, name="SCOPE")
    contact = await create_contact(session, host)
    await create_series(session, slug="committee", name="Committee")
    await session.commit()
    body = await gql(SCHEDULE, quarterly_input(host.id), as_=contact)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await _counts(runtime) == (0, 1)
    fields = {"newSeriesName": None, "seriesSlug": "committee"}
    data = await gql.data(SCHEDULE, quarterly_input(host.id, **fields), as_=contact)
    made = data["scheduleRepeatingConvenings"]["convenings"]
    assert [c["series"]["slug"] for c in made] == ["committee"] * 4


async def test_members_and_anonymous_callers_may_not_schedule_or_preview(session, gql, runtime):
    host = await create_organization(session)
    member = await create_member(session)
    await session.commit()
    preview = {
        "input": {
            "startsAt": "2027-01-01T10:00:00",
            "endsAt": "2027-01-01T12:00:00",
            "timeZone": "America/Los_Angeles",
            "recurrence": {**QUARTERLY, "count": 4},
        }
    }
    for who, code in ((member, "FORBIDDEN"), (None, "UNAUTHENTICATED")):
        scheduled = await gql(SCHEDULE, quarterly_input(host.id), as_=who)
        previewed = await gql(PREVIEW, preview, as_=who)
        assert scheduled["errors"][0]["extensions"]["code"] == code
        assert previewed["errors"][0]["extensions"]["code"] == code
    assert await _counts(runtime) == (0, 0)

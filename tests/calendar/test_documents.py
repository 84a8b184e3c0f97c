"""Convenings as iCalendar: read back by icalendar and by a second, independent parser (`ical`)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import icalendar
from ical.calendar_stream import IcsCalendarStream

from hub.delivery.calendar.documents import Method, convening_calendar, feed_calendar, invitation
from hub.delivery.calendar.events import Publisher
from hub.delivery.calendar.facts import Attendee, ConveningFacts
from hub.delivery.calendar.ids import convening_global_id, convening_pk
from hub.delivery.calendar.links import google_calendar_link
from hub.interfaces.graphql.node import to_global_id

PUBLISHER = Publisher(base_url="http://hub.test", organizer_email="hub@example.org")
STAMP = datetime(2026, 2, 1, 12, 0, tzinfo=UTC)
FACTS = ConveningFacts(
    id=7,
    title="Collaborative Strategy Session",
    description="Agenda: the 2027 budget fight.",
    starts_at=datetime(2026, 3, 14, 17, 0, tzinfo=UTC),  # 10:00 in Los Angeles (PDT)
    ends_at=datetime(2026, 3, 14, 20, 0, tzinfo=UTC),
    time_zone="America/Los_Angeles",
    venue_name="Union Hall",
    venue_address="1 Main St, Oakland",
    virtual_url="https://meet.example.org/strategy",
    status="SCHEDULED",
    sequence=0,
)
ANA = Attendee(email="ana@example.org", name="Ana Pérez")


def only_event(ics: bytes) -> icalendar.Event:
    (event,) = icalendar.Calendar.from_ical(ics).walk("VEVENT")
    return event


def test_a_convening_file_carries_every_field_both_parsers_read():
    # When the convening's file is made
    ics = convening_calendar(FACTS, PUBLISHER, stamp=STAMP)

    # Then icalendar reads it whole
    calendar = icalendar.Calendar.from_ical(ics)
    event = only_event(ics)
    assert calendar["METHOD"] == "PUBLISH"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["America/Los_Angeles"]
    assert event["UID"] == "convening-7@hub.test"
    assert event["SEQUENCE"] == 0
    assert event["STATUS"] == "CONFIRMED"
    assert event.decoded("DTSTART").isoformat() == "2026-03-14T10:00:00-07:00"
    assert event["DTSTART"].params["TZID"] == "America/Los_Angeles"
    assert event.decoded("DTEND").isoformat() == "2026-03-14T13:00:00-07:00"
    assert event.decoded("DTSTAMP") == STAMP
    assert event["LOCATION"] == "Union Hall, 1 Main St, Oakland"
    assert event["URL"] == f"http://hub.test/convenings/{convening_global_id(7)}"
    assert str(event["ORGANIZER"]) == "mailto:hub@example.org"
    assert event["DESCRIPTION"] == (
        "Agenda: the 2027 budget fight.\n\n"
        "Join online: https://meet.example.org/strategy\n\n"
        f"Details and RSVP: http://hub.test/convenings/{convening_global_id(7)}"
    )
    # And so does the second parser
    (parsed,) = IcsCalendarStream.calendar_from_ics(ics.decode()).events
    assert parsed.uid == "convening-7@hub.test"
    assert parsed.sequence == 0
    assert parsed.dtstart.isoformat() == "2026-03-14T10:00:00-07:00"
    assert parsed.location == "Union Hall, 1 Main St, Oakland"


def test_the_time_zone_covers_only_the_years_of_the_events():
    ics = convening_calendar(FACTS, PUBLISHER, stamp=STAMP)

    (zone,) = icalendar.Calendar.from_ical(ics).walk("VTIMEZONE")

    starts = sorted(part.decoded("DTSTART").year for part in zone.subcomponents)
    assert starts[0] == 2026
    assert starts[-1] <= 2027


def test_a_cancelled_convening_keeps_its_uid_and_says_cancelled():
    cancelled = replace(FACTS, status="CANCELLED", sequence=3)

    event = only_event(convening_calendar(cancelled, PUBLISHER, stamp=STAMP))

    assert event["UID"] == "convening-7@hub.test"
    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 3


def test_itip_fields_across_create_update_cancel():
    # Given the invitation, an update of time and place, and a cancellation
    moved = replace(
        FACTS,
        starts_at=FACTS.starts_at + timedelta(days=1),
        ends_at=FACTS.ends_at + timedelta(days=1),
        venue_name="Church basement",
        sequence=1,
    )
    cancelled = replace(moved, status="CANCELLED", sequence=2)
    steps = [(FACTS, Method.REQUEST), (moved, Method.REQUEST), (cancelled, Method.CANCEL)]

    # When each is written as an iMIP attachment
    files = [invitation(f, PUBLISHER, ANA, method, stamp=STAMP) for f, method in steps]

    # Then both parsers agree: one UID, a rising SEQUENCE, the right METHOD
    calendars = [icalendar.Calendar.from_ical(ics) for ics in files]
    assert [c["METHOD"] for c in calendars] == ["REQUEST", "REQUEST", "CANCEL"]
    events = [only_event(ics) for ics in files]
    assert {e["UID"] for e in events} == {"convening-7@hub.test"}
    assert [e["SEQUENCE"] for e in events] == [0, 1, 2]
    assert [e["STATUS"] for e in events] == ["CONFIRMED", "CONFIRMED", "CANCELLED"]
    assert all(e.decoded("DTSTAMP") == STAMP for e in events)
    assert all(str(e["ORGANIZER"]) == "mailto:hub@example.org" for e in events)
    assert [str(e["ATTENDEE"]) for e in events] == ["mailto:ana@example.org"] * 3
    assert events[0]["ATTENDEE"].params["PARTSTAT"] == "ACCEPTED"
    second = [IcsCalendarStream.calendar_from_ics(ics.decode()).events[0] for ics in files]
    assert [e.uid for e in second] == ["convening-7@hub.test"] * 3
    assert [e.sequence for e in second] == [0, 1, 2]
    assert [e.dtstamp for e in second] == [STAMP] * 3
    assert [e.organizer.uri for e in second] == ["mailto:hub@example.org"] * 3
    assert [[a.uri for a in e.attendees] for e in second] == [["mailto:ana@example.org"]] * 3
    assert second[1].dtstart.isoformat() == "2026-03-15T10:00:00-07:00"
    assert second[2].status == "CANCELLED"


def test_a_feed_holds_many_events_each_with_its_zone():
    # Given convenings in two zones
    eastern = replace(FACTS, id=8, title="Caucus call", time_zone="America/New_York")

    # When they form a feed
    ics = feed_calendar([FACTS, eastern], PUBLISHER, name="Coalition Hub: Ana", stamp=STAMP)

    # Then both events are in it, with both zones
    calendar = icalendar.Calendar.from_ical(ics)
    assert [e["UID"] for e in calendar.walk("VEVENT")] == [
        "convening-7@hub.test",
        "convening-8@hub.test",
    ]
    assert sorted(tz["TZID"] for tz in calendar.walk("VTIMEZONE")) == [
        "America/Los_Angeles",
        "America/New_York",
    ]
    assert calendar["X-WR-CALNAME"] == "Coalition Hub: Ana"
    assert len(IcsCalendarStream.calendar_from_ics(ics.decode()).events) == 2


def test_an_empty_feed_is_still_a_calendar():
    ics = feed_calendar([], PUBLISHER, name="Coalition Hub: Ana", stamp=STAMP)

    assert icalendar.Calendar.from_ical(ics).walk("VEVENT") == []
    assert IcsCalendarStream.calendar_from_ics(ics.decode()).events == []


def test_the_google_calendar_link_is_filled_in():
    link = google_calendar_link(FACTS, "http://hub.test")

    assert link.startswith("https://calendar.google.com/calendar/render?action=TEMPLATE&")
    assert "text=Collaborative+Strategy+Session" in link
    assert "dates=20260314T170000Z%2F20260314T200000Z" in link
    assert "ctz=America%2FLos_Angeles" in link
    assert "location=Union+Hall%2C+1+Main+St%2C+Oakland" in link


def test_convening_ids_equal_the_apis_global_ids():
    assert convening_global_id(42) == to_global_id("Convening", 42)
    assert convening_pk(to_global_id("Convening", 42)) == 42
    assert convening_pk(to_global_id("Person", 42)) is None
    assert convening_pk("not base64!") is None

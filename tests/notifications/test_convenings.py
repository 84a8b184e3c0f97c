"""Convening messages: written with the change, delivered once through the real sendgrid
client, with the iTIP invitation attached."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest
from ical.calendar_stream import IcsCalendarStream

from hub.delivery.notifications import convenings as notify
from hub.infrastructure.db import transaction
from hub.infrastructure.models.convenings import ConveningStatus, RsvpStatus
from hub.infrastructure.models.directory import Language
from hub.infrastructure.models.outbox import OutboxStatus
from tests.convenings.factories import create_convening, create_member, create_rsvp
from tests.infrastructure.outbox import attached_calendar, attachments, outbox_rows


def event_of(ics: bytes) -> icalendar.Event:
    (event,) = icalendar.Calendar.from_ical(ics).walk("VEVENT")
    return event


async def test_one_rsvp_gives_exactly_one_delivered_message_with_the_invite(
    session, runtime, worker, sendgrid_standin
):
    # Given a person who answers GOING (the service calls the notifier in its transaction)
    person = await create_member(session, name="Ana Pérez", email="ana@example.org")
    convening = await create_convening(session, title="Strategy Session")
    rsvp = await create_rsvp(session, convening, person, RsvpStatus.GOING)
    await notify.rsvp_answered(session, rsvp, convening, None)
    await session.commit()

    # When the worker drains the outbox, twice
    first = await worker.drain()
    second = await worker.drain()

    # Then exactly one email went out, to her, with the invitation
    assert (first.sent, second.claimed) == (1, 0)
    (request,) = sendgrid_standin.requests
    assert request.to == "ana@example.org"
    assert request.subject == "You're going: Strategy Session"
    (attachment,) = attachments(request)
    assert attachment["type"] == 'text/calendar; method=REQUEST; charset="UTF-8"'
    invite = icalendar.Calendar.from_ical(attached_calendar(request))
    assert invite["METHOD"] == "REQUEST"
    event = event_of(attached_calendar(request))
    assert str(event["ATTENDEE"]) == "mailto:ana@example.org"
    assert event["ATTENDEE"].params["PARTSTAT"] == "ACCEPTED"
    # And the outbox row says so, with SendGrid's id and our id sent along
    (row,) = await outbox_rows(runtime)
    assert row.status == OutboxStatus.SENT
    assert row.provider_message_id == request.message_id
    assert request.outbox_id == str(row.id)
    assert row.subject == "You're going: Strategy Session"


async def test_itip_across_create_update_cancel(session, runtime, worker, sendgrid_standin):
    # Given a GOING RSVP, then a change of time, then a cancellation
    person = await create_member(session, email="ana@example.org")
    convening = await create_convening(session, title="Caucus")
    rsvp = await create_rsvp(session, convening, person, RsvpStatus.GOING)
    await notify.rsvp_answered(session, rsvp, convening, None)
    await session.commit()
    await worker.drain()
    convening.starts_at += timedelta(days=1)
    convening.ends_at += timedelta(days=1)
    convening.sequence += 1
    await notify.convening_changed(session, convening, material=True)
    await session.commit()
    await worker.drain()
    convening.status = ConveningStatus.CANCELLED
    convening.sequence += 1
    await notify.convening_cancelled(session, convening)
    await session.commit()
    await worker.drain()

    # Then three invitations went out: one UID, SEQUENCE rising, REQUEST, REQUEST, CANCEL
    files = [attached_calendar(request) for request in sendgrid_standin.requests]
    assert [r.subject for r in sendgrid_standin.requests] == [
        "You're going: Caucus",
        "Changed: Caucus",
        "Cancelled: Caucus",
    ]
    assert [icalendar.Calendar.from_ical(f)["METHOD"] for f in files] == [
        "REQUEST",
        "REQUEST",
        "CANCEL",
    ]
    uid = f"convening-{convening.id}@hub.test"
    events = [event_of(f) for f in files]
    assert [(e["UID"], e["SEQUENCE"], e["STATUS"]) for e in events] == [
        (uid, 0, "CONFIRMED"),
        (uid, 1, "CONFIRMED"),
        (uid, 2, "CANCELLED"),
    ]
    assert events[1].decoded("DTSTART") == convening.starts_at
    assert all(str(e["ORGANIZER"]) == "mailto:hub@example.org" for e in events)
    assert all("DTSTAMP" in e for e in events)
    parsed = [IcsCalendarStream.calendar_from_ics(f.decode()).events[0] for f in files]
    assert [(e.uid, e.sequence) for e in parsed] == [(uid, 0), (uid, 1), (uid, 2)]
    assert [[a.uri for a in e.attendees] for e in parsed] == [["mailto:ana@example.org"]] * 3


async def test_a_message_for_a_change_that_rolled_back_is_never_sent(
    runtime, worker, sendgrid_standin, session
):
    # Given an RSVP whose transaction fails after the notifier wrote its message
    person = await create_member(session)
    convening = await create_convening(session)
    await session.commit()
    with pytest.raises(RuntimeError):
        async with transaction(runtime.sessions) as failing:
            rsvp = await create_rsvp(failing, convening, person, RsvpStatus.GOING)
            await notify.rsvp_answered(failing, rsvp, convening, None)
            raise RuntimeError("the rest of the change failed")

    # When the worker runs
    report = await worker.drain()

    # Then nothing was queued and nothing was sent
    assert report.claimed == 0
    assert await outbox_rows(runtime) == []
    assert sendgrid_standin.requests == []


async def test_waitlisted_people_get_a_note_without_an_invitation(
    session, runtime, worker, sendgrid_standin
):
    person = await create_member(session, preferred_language=Language.ES)
    convening = await create_convening(session, title="Taller")
    rsvp = await create_rsvp(session, convening, person, RsvpStatus.WAITLISTED, waitlist_position=2)
    await notify.rsvp_answered(session, rsvp, convening, None)
    await session.commit()

    await worker.drain()

    (request,) = sendgrid_standin.requests
    assert request.subject == "En lista de espera: Taller"
    assert "(número 2)" in request.body["content"][0]["value"]
    assert attachments(request) == []


async def test_leaving_after_going_cancels_the_invitation(session, worker, sendgrid_standin):
    person = await create_member(session)
    convening = await create_convening(session, title="Caucus")
    rsvp = await create_rsvp(session, convening, person, RsvpStatus.NOT_GOING)
    await notify.rsvp_answered(session, rsvp, convening, RsvpStatus.GOING)
    await session.commit()

    await worker.drain()

    (request,) = sendgrid_standin.requests
    assert request.subject == "You're not going: Caucus"
    assert icalendar.Calendar.from_ical(attached_calendar(request))["METHOD"] == "CANCEL"
    assert attachments(request)[0]["type"] == 'text/calendar; method=CANCEL; charset="UTF-8"'


async def test_a_first_answer_of_not_going_sends_nothing(session, runtime):
    person = await create_member(session)
    convening = await create_convening(session)
    rsvp = await create_rsvp(session, convening, person, RsvpStatus.NOT_GOING)

    await notify.rsvp_answered(session, rsvp, convening, None)
    await session.commit()

    assert await outbox_rows(runtime) == []


async def test_a_promotion_from_the_waitlist_sends_the_invitation(
    session, worker, sendgrid_standin
):
    person = await create_member(session)
    convening = await create_convening(session, title="Caucus")
    rsvp = await create_rsvp(session, convening, person, RsvpStatus.GOING)

    await notify.waitlist_promoted(session, rsvp, convening)
    await session.commit()
    await worker.drain()

    (request,) = sendgrid_standin.requests
    assert request.subject == "A place opened up: you're going to Caucus"
    assert icalendar.Calendar.from_ical(attached_calendar(request))["METHOD"] == "REQUEST"


async def test_a_change_goes_to_those_holding_the_invitation_only(session, runtime):
    # Given people GOING, MAYBE, NOT_GOING and WAITLISTED
    convening = await create_convening(session)
    answers = {}
    for status in RsvpStatus:
        person = await create_member(session, email=f"{status.lower()}@example.org")
        answers[status] = await create_rsvp(session, convening, person, status)
    convening.sequence += 1

    # When the time changes, and then when only the description changes
    await notify.convening_changed(session, convening, material=True)
    await notify.convening_changed(session, convening, material=False)
    await session.commit()

    # Then GOING and MAYBE got one update each; the others nothing
    rows = await outbox_rows(runtime)
    assert sorted(r.recipient_address for r in rows) == [
        "going@example.org",
        "maybe@example.org",
    ]
    assert {r.payload["partstat"] for r in rows} == {"ACCEPTED", "TENTATIVE"}


async def test_a_cancellation_tells_the_waitlist_too_without_an_invitation(session, runtime):
    convening = await create_convening(session)
    for status in (RsvpStatus.GOING, RsvpStatus.WAITLISTED, RsvpStatus.NOT_GOING):
        person = await create_member(session, email=f"{status.lower()}@example.org")
        await create_rsvp(session, convening, person, status)
    convening.status = ConveningStatus.CANCELLED
    convening.sequence += 1

    await notify.convening_cancelled(session, convening)
    await notify.convening_cancelled(session, convening)  # told twice: still once each
    await session.commit()

    rows = await outbox_rows(runtime)
    assert [(r.recipient_address, r.payload["invite"]) for r in rows] == [
        ("going@example.org", "CANCEL"),
        ("waitlisted@example.org", None),
    ]


async def test_the_same_answer_told_twice_is_one_message(session, runtime):
    person = await create_member(session)
    convening = await create_convening(session)
    rsvp = await create_rsvp(session, convening, person, RsvpStatus.GOING)
    await session.commit()
    session.expire(rsvp, ["updated_at"])

    await notify.rsvp_answered(session, rsvp, convening, None)
    await notify.rsvp_answered(session, rsvp, convening, None)
    await session.commit()

    assert len(await outbox_rows(runtime)) == 1

"""What people read in the hub's email, rendered through the outbox and the real sendgrid
client: times in the zone of what they belong to, to the minute, the zone named alike in both
languages; no "add to your calendar" in a cancellation; the invitation's text in the reader's
language."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import icalendar

from hub.delivery.notifications import convenings as notify_convenings
from hub.delivery.notifications import governance as notify_governance
from hub.infrastructure.models.convenings import ConveningStatus, RsvpStatus
from hub.infrastructure.models.directory import Language
from hub.interfaces.graphql.node import to_global_id
from tests.convenings.factories import create_convening, create_member, create_rsvp
from tests.factories import create_person
from tests.infrastructure.outbox import attached_calendar
from tests.infrastructure.sendgrid_standin import RecordedRequest
from tests.notifications.factories import create_proposal_in_voting, create_seat

CLOSES = datetime(2026, 12, 3, 8, 7, 37, tzinfo=UTC)
# Thursday, December 10, 2026, 3 PM in Los Angeles.
STARTS = datetime(2026, 12, 10, 23, 0, tzinfo=UTC)


def text_of(request: RecordedRequest) -> str:
    return str(request.body["content"][0]["value"])


def html_of(request: RecordedRequest) -> str:
    return str(request.body["content"][1]["value"])


async def both_readers_answer(session, convening, worker, standin) -> dict[str, RecordedRequest]:  # type: ignore[no-untyped-def]
    """Luz (reading Spanish) and Ana (reading English) answer GOING; their invitations go out."""
    luz = await create_member(session, email="luz@example.org", preferred_language=Language.ES)
    ana = await create_member(session, email="ana@example.org")
    for person in (luz, ana):
        rsvp = await create_rsvp(session, convening, person, RsvpStatus.GOING)
        await notify_convenings.rsvp_answered(session, rsvp, convening, None)
    await session.commit()
    await worker.drain()
    return by_recipient(standin.requests)


def by_recipient(requests: list[RecordedRequest]) -> dict[str, RecordedRequest]:
    return {request.to: request for request in requests}


async def test_voting_emails_give_the_close_in_the_committees_zone_to_the_minute(
    session, worker, sendgrid_standin
):
    # Given a seat whose holder reads English and whose alternate reads Spanish
    holder = await create_person(session, email="holder@example.org")
    alternate = await create_person(
        session, email="alterna@example.org", preferred_language=Language.ES
    )
    seat = await create_seat(session, holder, alternate)
    proposal = await create_proposal_in_voting(
        session, [seat], title="Platform 2027", voting_closes_at=CLOSES
    )

    # When voting opens and the worker delivers
    await notify_governance.voting_opened(session, proposal)
    await session.commit()
    await worker.drain()

    # Then each reads the close in the committee's zone (Los Angeles), without seconds
    sent = by_recipient(sendgrid_standin.requests)
    english, spanish = text_of(sent["holder@example.org"]), text_of(sent["alterna@example.org"])
    assert "Voting closes: Thursday, December 3, 2026, 12:07\u202fAM (Pacific Standard Time)\n" in (
        english
    )
    assert (
        "La votación cierra: jueves, 3 de diciembre de 2026, 0:07 (hora estándar del Pacífico)\n"
        in (spanish)
    )
    assert "8:07:37" not in english + spanish


async def test_a_cancellation_email_offers_no_calendar_links(session, worker, sendgrid_standin):
    # Given two people going to a convening, one reading Spanish
    ana = await create_member(session, name="Ana", email="ana@example.org")
    luz = await create_member(
        session, name="Luz", email="luz@example.org", preferred_language=Language.ES
    )
    convening = await create_convening(
        session, title="Caucus", starts_at=STARTS, ends_at=STARTS + timedelta(hours=1)
    )
    for person in (ana, luz):
        await create_rsvp(session, convening, person, RsvpStatus.GOING)

    # When the convening is cancelled
    convening.status = ConveningStatus.CANCELLED
    convening.sequence += 1
    await notify_convenings.convening_cancelled(session, convening)
    await session.commit()
    await worker.drain()

    # Then each email says so in its reader's language, with the details and no link to put
    # the convening in a calendar (the attached CANCEL takes it out)
    sent = by_recipient(sendgrid_standin.requests)
    page = f"http://hub.test/convenings/{to_global_id('Convening', convening.id)}"
    assert text_of(sent["ana@example.org"]) == (
        "Hi Ana,\n\nCaucus has been cancelled. We are sorry for the change of plans. The "
        "attached cancellation takes it out of your calendar.\n\nCaucus\n"
        "When: Thursday, December 10, 2026, 3:00\u202fPM \u2013 4:00\u202fPM "
        "(Pacific Standard Time)\nWhere: Community hall\n"
        f"Details: {page}\n\n\n— Coalition Hub\n"
    )
    assert text_of(sent["luz@example.org"]) == (
        "Hola, Luz:\n\nSe canceló Caucus. Lamentamos el cambio de planes. La cancelación "
        "adjunta la quita de su calendario.\n\nCaucus\n"
        "Cuándo: jueves, 10 de diciembre de 2026, 15:00 \u2013 16:00 "
        "(hora estándar del Pacífico)\nDónde: Community hall\n"
        f"Detalles: {page}\n\n\n— Coalition Hub\n"
    )
    for request in sent.values():
        assert ".ics" not in html_of(request)
        assert "calendar.google.com" not in html_of(request)
        invite = icalendar.Calendar.from_ical(attached_calendar(request))
        assert invite["METHOD"] == "CANCEL"


async def test_the_invitation_describes_the_convening_in_the_readers_language(
    session, worker, sendgrid_standin, settings
):
    # Given an online convening
    convening = await create_convening(
        session,
        title="Llamada del caucus",
        description="Agenda: presupuesto.",
        venue_name=None,
        virtual_url="https://meet.example.org/caucus",
    )

    # When Luz (Spanish) and Ana (English) answer GOING and the worker delivers
    sent = await both_readers_answer(session, convening, worker, sendgrid_standin)

    # Then each invitation's description is written in its reader's language
    page = re.compile(r"http://hub\.test/convenings/\S+")
    spanish = _description(sent["luz@example.org"])
    english = _description(sent["ana@example.org"])
    assert page.sub("PAGE", spanish) == (
        "Agenda: presupuesto.\n\nEn línea: https://meet.example.org/caucus\n\n"
        "Detalles y respuesta: PAGE"
    )
    assert page.sub("PAGE", english) == (
        "Agenda: presupuesto.\n\nJoin online: https://meet.example.org/caucus\n\n"
        "Details and RSVP: PAGE"
    )


def _description(request: RecordedRequest) -> str:
    (event,) = icalendar.Calendar.from_ical(attached_calendar(request)).walk("VEVENT")
    return str(event["DESCRIPTION"])


async def test_a_convenings_time_reads_in_its_own_zone_named_alike_in_both_languages(
    session, worker, sendgrid_standin
):
    # Given a convening in New York, answered by a Spanish and an English reader
    starts = datetime(2026, 12, 10, 23, 0, tzinfo=UTC)
    convening = await create_convening(
        session,
        title="Training",
        starts_at=starts,
        ends_at=starts.replace(hour=23, minute=45),
        time_zone="America/New_York",
    )

    sent = await both_readers_answer(session, convening, worker, sendgrid_standin)

    assert (
        "When: Thursday, December 10, 2026, 6:00\u202fPM \u2013 6:45\u202fPM "
        "(Eastern Standard Time)\n" in text_of(sent["ana@example.org"])
    )
    assert (
        "Cuándo: jueves, 10 de diciembre de 2026, 18:00 \u2013 18:45 "
        "(hora estándar oriental)\n" in text_of(sent["luz@example.org"])
    )

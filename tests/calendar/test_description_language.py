"""A calendar entry's description in its reader's language: the .ics download in the language
the reader's browser or language switch asks for, a feed in its maker's chosen language."""

from __future__ import annotations

import icalendar

from hub.delivery.calendar.ids import convening_global_id
from hub.infrastructure.models.convenings import RsvpStatus, Visibility
from hub.infrastructure.models.directory import Language
from tests.convenings.factories import create_convening, create_member, create_rsvp

CREATE_FEED = "mutation { createCalendarFeed(input: {}) { feed { url } errors { code } } }"


def descriptions(ics: bytes) -> list[str]:
    return [str(e["DESCRIPTION"]) for e in icalendar.Calendar.from_ical(ics).walk("VEVENT")]


async def test_the_ics_download_is_described_in_the_readers_language(session, http):
    convening = await create_convening(
        session, visibility=Visibility.PUBLIC, venue_name=None, virtual_url="https://meet/x"
    )
    await session.commit()
    path = f"/calendar/convenings/{convening_global_id(convening.id)}.ics"
    page = f"http://hub.test/convenings/{convening_global_id(convening.id)}"

    spanish = await http.get(path, headers={"Accept-Language": "es-MX,es;q=0.9"})
    english = await http.get(path, headers={"Accept-Language": "en-US"})

    assert descriptions(spanish.content) == [
        f"En línea: https://meet/x\n\nDetalles y respuesta: {page}"
    ]
    assert descriptions(english.content) == [
        f"Join online: https://meet/x\n\nDetails and RSVP: {page}"
    ]


async def test_a_feed_is_described_in_its_makers_language(session, http, gql):
    person = await create_member(session, preferred_language=Language.ES)
    convening = await create_convening(session)
    await create_rsvp(session, convening, person, RsvpStatus.GOING)
    await session.commit()
    url = (await gql.data(CREATE_FEED, as_=person))["createCalendarFeed"]["feed"]["url"]

    fetched = await http.get(url.removeprefix("http://hub.test"))

    page = f"http://hub.test/convenings/{convening_global_id(convening.id)}"
    assert descriptions(fetched.content) == [f"Detalles y respuesta: {page}"]

"""Times and words as people read them on the pages: each time in the zone of what it belongs
to (a convening's own, the committee's for its votes, the reader's for their own things), to
the minute, the zone named alike in both languages; an online convening also in the reader's
zone; a person's stored language from the moment they sign in; "Going" in proper Spanish for
each place it appears."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta

import httpx
from playwright.async_api import Browser, expect

from hub.infrastructure.models import CalendarFeedToken
from hub.infrastructure.models.convenings import RsvpStatus, Visibility
from hub.infrastructure.models.directory import Language
from hub.interfaces.graphql.node import to_global_id
from hub.interfaces.runtime import Runtime
from tests.convenings.factories import create_contact, create_convening, create_member, create_rsvp
from tests.factories import create_admin, create_organization, create_person
from tests.frontend.conftest import new_page, phone_context_args
from tests.frontend.flows import arrange
from tests.frontend.over_http import definition, plain, read, sign_in_over_http
from tests.frontend.server import HubServer
from tests.notifications.factories import create_proposal_in_voting, create_seat

NNBSP = "\u202f"
NEW_YORK = "America/New_York"
# Thursday, December 10, 2026, 3:00-3:45 PM in Los Angeles.
STARTS = datetime(2026, 12, 10, 23, 0, tzinfo=UTC)


async def test_the_voting_window_reads_in_the_committees_zone(session, http, runtime):
    # Given a proposal in voting that closes at 08:07:37 UTC, and an admin reading it from a
    # browser in New York
    admin = await create_admin(session)
    seat = await create_seat(session, admin)
    proposal = await create_proposal_in_voting(
        session, [seat], voting_closes_at=datetime(2026, 12, 3, 8, 7, 37, tzinfo=UTC)
    )
    await session.commit()
    await sign_in_over_http(http, runtime, admin)
    url = f"/proposals/{to_global_id('Proposal', proposal.id)}"

    # When they read its page in English and in Spanish
    english = await read(http, url, zone=NEW_YORK)
    spanish = await read(http, url, language="es", zone=NEW_YORK)

    # Then the close reads in the committee's zone, named alike, without seconds
    assert definition(english, "Voting closes") == [
        f"Dec 3, 2026, 12:07{NNBSP}AM (Pacific Standard Time)"
    ]
    assert definition(spanish, "La votación cierra") == [
        "3 dic 2026, 0:07 (hora estándar del Pacífico)"
    ]


async def test_my_feed_link_date_reads_in_my_zone_not_utc(session, http, runtime):
    person = await create_person(session)
    made = datetime(2026, 11, 20, 18, 30, 5, tzinfo=UTC)
    session.add(
        CalendarFeedToken(
            token_hash=hashlib.sha256(b"feed").hexdigest(),
            person_id=person.id,
            created_by_id=person.id,
            created_at=made,
        )
    )
    await session.commit()
    await sign_in_over_http(http, runtime, person)

    in_new_york = plain((await read(http, "/me", zone=NEW_YORK)).text)
    unknown_zone = plain((await read(http, "/me")).text)
    spanish = plain((await read(http, "/me", language="es", zone=NEW_YORK)).text)

    assert f"You made a feed link on Nov 20, 2026, 1:30{NNBSP}PM (Eastern Standard Time)." in (
        in_new_york
    )
    # Without the browser's zone, the hub's own (HUB_TIME_ZONE, Los Angeles by default)
    assert f"on Nov 20, 2026, 10:30{NNBSP}AM (Pacific Standard Time)." in unknown_zone
    assert "el 20 nov 2026, 13:30 (hora estándar oriental)." in spanish
    assert "UTC" not in in_new_york + unknown_zone


async def test_an_online_convening_also_reads_in_the_readers_zone(session, http):
    # Given an online convening in Los Angeles and one at a venue
    online = await create_convening(
        session,
        visibility=Visibility.PUBLIC,
        starts_at=STARTS,
        ends_at=STARTS + timedelta(minutes=45),
        venue_name=None,
        virtual_url="https://meet.example.org/call",
    )
    in_person = await create_convening(
        session, visibility=Visibility.PUBLIC, starts_at=STARTS, ends_at=STARTS + timedelta(hours=1)
    )
    await session.commit()
    online_url = f"/convenings/{to_global_id('Convening', online.id)}"
    in_person_url = f"/convenings/{to_global_id('Convening', in_person.id)}"

    # When a reader in New York opens them, in English and in Spanish
    english = await read(http, online_url, zone=NEW_YORK)
    spanish = await read(http, online_url, language="es", zone=NEW_YORK)
    at_the_venue = await read(http, in_person_url, zone=NEW_YORK)
    from_los_angeles = await read(http, online_url, zone="America/Los_Angeles")

    # Then the online one gives both times; the one at a venue only its own
    assert definition(english, "When") == [
        f"Thursday, December 10, 2026, 3:00{NNBSP}PM \u2013 3:45{NNBSP}PM (Pacific Standard Time)",
        f"Your time: 6:00{NNBSP}PM \u2013 6:45{NNBSP}PM (Eastern Standard Time)",
    ]
    assert definition(spanish, "Cuándo") == [
        "jueves, 10 de diciembre de 2026, 15:00 \u2013 15:45 (hora estándar del Pacífico)",
        "Su hora: 18:00 \u2013 18:45 (hora estándar oriental)",
    ]
    assert definition(at_the_venue, "When") == [
        f"Thursday, December 10, 2026, 3:00{NNBSP}PM \u2013 4:00{NNBSP}PM (Pacific Standard Time)"
    ]
    assert len(definition(from_los_angeles, "When")) == 1


async def test_the_browser_tells_its_zone_for_an_online_convening(
    chromium: Browser, hub_server: HubServer, runtime: Runtime
) -> None:
    online = await arrange(
        runtime,
        lambda s: create_convening(
            s,
            visibility=Visibility.PUBLIC,
            starts_at=STARTS,
            ends_at=STARTS + timedelta(minutes=45),
            venue_name=None,
            virtual_url="https://meet.example.org/call",
        ),
    )
    context = await chromium.new_context(
        base_url=hub_server.url, **phone_context_args(timezone_id="America/Chicago")
    )
    page = await new_page(context)
    # The first page the browser opens tells the hub its zone (hub.js sets a cookie)
    await page.goto("/convenings")
    await page.goto(f"/convenings/{to_global_id('Convening', online.id)}")
    await expect(page.get_by_text("Your time:")).to_have_text(
        f"Your time: 5:00{NNBSP}PM \u2013 5:45{NNBSP}PM (Central Standard Time)"
    )
    await context.close()


async def test_a_stored_language_applies_as_soon_as_they_sign_in(session, http, runtime):
    # Given a member who chose Spanish, on a browser that asks for English
    person = await create_person(session, name="Luz Ortiz", preferred_language=Language.ES)
    await session.commit()
    http.headers["Accept-Language"] = "en-US,en;q=0.9"

    # When they sign in
    await sign_in_over_http(http, runtime, person)
    me = await http.get("/me")

    # Then their page is in Spanish at once
    assert '<html lang="es">' in me.text
    assert "Mi idioma" in me.text
    # And the language switch still works afterwards
    await http.get("/language?lang=en&next=/me")
    assert '<html lang="en">' in (await read(http, "/me")).text


async def test_going_reads_as_proper_spanish_in_each_place(session, http, runtime):
    # Given a contact of an organization and a colleague of theirs going to a convening
    organization = await create_organization(session)
    contact = await create_contact(session, organization)
    colleague = await create_member(session, organization, name="Rosa Parra")
    await create_member(session, organization)
    convening = await create_convening(session, visibility=Visibility.PUBLIC)
    await create_rsvp(
        session, convening, colleague, RsvpStatus.GOING, organization_id=organization.id
    )
    await session.commit()
    await sign_in_over_http(http, runtime, contact)

    # When the contact reads the convening's page in Spanish
    page = await read(http, f"/convenings/{to_global_id('Convening', convening.id)}", language="es")

    # Then the count is headed "Asistentes", their own choice reads "Asistiré" and a
    # delegate's "Asistirá"
    assert "<dt>Asistentes</dt>" in page.text
    assert "<dt>Asistiré</dt>" not in page.text
    self_form, delegate_form = _answer_fieldsets(page)
    assert _choices(self_form) == ["Asistiré", "Quizás", "No asistiré"]
    assert _choices(delegate_form) == ["Asistirá", "Quizás", "No asistirá"]
    assert "<strong>Rosa Parra</strong> · Asistirá" in page.text


def _answer_fieldsets(page: httpx.Response) -> list[str]:
    return re.findall(r"<legend>¿Asistirá.*?</fieldset>", page.text, re.S)


def _choices(fieldset: str) -> list[str]:
    return [plain(label) for label in re.findall(r'name="status"[^>]*>(.*?)</label>', fieldset)]

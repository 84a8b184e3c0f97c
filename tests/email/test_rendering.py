"""Messages in the person's language, with plain-text and HTML parts, times in the convening's
own zone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hub.delivery.calendar.documents import Method
from hub.delivery.calendar.facts import ConveningFacts
from hub.delivery.email.compose import compose_email
from hub.delivery.email.kinds import MessageKind
from hub.delivery.email.payloads import convening_payload
from hub.delivery.email.rendering import render
from hub.infrastructure.config import ConfigurationError, Settings
from hub.infrastructure.models import OutboxMessage

SETTINGS = Settings(base_url="http://hub.test", email_from="hub@example.org")
NOW = datetime(2026, 2, 1, tzinfo=UTC)
FACTS = ConveningFacts(
    id=3,
    title="Budget <Fight> & Friends",
    description="",
    starts_at=datetime(2026, 3, 14, 17, 0, tzinfo=UTC),
    ends_at=datetime(2026, 3, 14, 19, 30, tzinfo=UTC),
    time_zone="America/Los_Angeles",
    venue_name="Union Hall",
    venue_address=None,
    virtual_url=None,
    status="SCHEDULED",
    sequence=0,
)


def message(language: str, **payload_options: object) -> OutboxMessage:
    payload = convening_payload("Ana", FACTS, **payload_options)  # type: ignore[arg-type]
    return OutboxMessage(
        id=41,
        kind=MessageKind.RSVP_CONFIRMED,
        recipient_address="ana@example.org",
        language=language,
        payload=payload,
    )


def test_an_english_confirmation_in_the_convenings_zone():
    email = compose_email(
        message("en", invite=Method.REQUEST, rsvp_status="GOING"), SETTINGS, now=NOW
    )

    assert email.subject == "You're going: Budget <Fight> & Friends"
    assert email.text.startswith("Hi Ana,\n\nYour place at Budget <Fight> & Friends is confirmed.")
    assert (
        "When: Saturday, March 14, 2026, 10:00\u202fAM \u2013 12:30\u202fPM (Pacific Daylight Time)"
        in email.text
    )
    assert "Where: Union Hall" in email.text
    assert email.tracking == {"outbox_id": "41"}
    assert email.to == "ana@example.org"
    assert email.sender == "hub@example.org"


def test_the_html_part_escapes_what_people_typed():
    email = compose_email(
        message("en", invite=Method.REQUEST, rsvp_status="GOING"), SETTINGS, now=NOW
    )

    assert email.html.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert "<h2>Budget &lt;Fight&gt; &amp; Friends</h2>" in email.html
    assert "<Fight>" not in email.html


def test_a_spanish_speaker_reads_spanish():
    email = compose_email(
        message("es", invite=Method.REQUEST, rsvp_status="GOING"), SETTINGS, now=NOW
    )

    assert email.subject == "Confirmado: Budget <Fight> & Friends"
    assert email.text.startswith(
        "Hola, Ana:\n\nSu lugar en Budget <Fight> & Friends está confirmado."
    )
    assert (
        "Cuándo: sábado, 14 de marzo de 2026, 10:00 \u2013 12:30 (hora de verano del Pacífico)"
        in email.text
    )
    assert '<html lang="es">' in email.html


def test_the_invitation_is_attached_as_itip():
    email = compose_email(
        message("en", invite=Method.REQUEST, rsvp_status="GOING"), SETTINGS, now=NOW
    )

    (attachment,) = email.attachments
    assert attachment.filename == "invite.ics"
    assert attachment.content_type == 'text/calendar; method=REQUEST; charset="UTF-8"'
    assert b"METHOD:REQUEST" in attachment.content
    assert b"ATTENDEE;CN=Ana;PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT:mailto:ana@example.org" in (
        attachment.content.replace(b"\r\n ", b"")
    )


def test_a_message_without_an_invitation_has_no_attachment():
    email = compose_email(message("en"), SETTINGS, now=NOW)

    assert email.attachments == ()


def test_every_kind_renders_in_both_languages():
    values = {
        "name": "Ana",
        "hub_url": "http://hub.test",
        "status": "GOING",
        "position": 2,
        "invite": None,
        "link": "http://hub.test/signin/link?token=t",
        "c": {
            "title": "T",
            "when": "W",
            "place": None,
            "virtual_url": "https://v",
            "page_url": "http://p",
            "ics_url": "http://i",
            "google_url": "http://g",
        },
        "p": {
            "title": "P",
            "summary": "S",
            "status": "ADOPTED",
            "closes": "C",
            "page_url": "http://p",
            "result": {"yes": 5, "no": 1},
        },
        "meeting": {"title": "M", "when": "W", "page_url": "http://m"},
        "agenda": [{"title": "P", "page_url": "http://p"}],
        "actions": [{"what": "A", "organization": "O", "due": "D", "proposal": None}],
        "action": {
            "what": "A",
            "organization": "O",
            "due": "D",
            "proposal": {"title": "P", "page_url": "http://p"},
        },
        "proxy": {
            "seat_organization": "O",
            "carrier_name": "C",
            "told_as": "holder",
            "meeting": None,
            "proposal": {"title": "P", "page_url": "http://p"},
            "choice": None,
        },
        "message": {"sender": "SCOPE", "subject": "Parking", "text": "Behind the hall."},
    }
    for kind in MessageKind:
        for language in ("en", "es"):
            rendered = render(kind, language, values)
            assert rendered.subject and "\n" not in rendered.subject
            assert rendered.text.strip()
            assert rendered.html.startswith("<!DOCTYPE html>")


def test_a_voting_window_reads_in_the_committees_zone_as_configured():
    # Given a committee that works in New York (HUB_TIME_ZONE)
    settings = Settings.from_env({"HUB_TIME_ZONE": "America/New_York"})
    proposal = {
        "id": 7,
        "title": "Platform",
        "summary": "",
        "status": "VOTING",
        "voting_closes_at": "2026-12-03T08:07:37+00:00",
        "result": {},
    }
    notice = OutboxMessage(
        id=1,
        kind=MessageKind.VOTING_OPENED,
        recipient_address="ana@example.org",
        language="es",
        payload={"recipient_name": "Ana", "proposal": proposal},
    )

    email = compose_email(notice, settings, now=NOW)

    assert (
        "La votación cierra: jueves, 3 de diciembre de 2026, 3:07 (hora estándar oriental)\n"
        in (email.text)
    )
    assert email.transactional is True


def test_a_committee_zone_that_does_not_exist_is_refused():
    with pytest.raises(ConfigurationError) as refused:
        Settings.from_env({"HUB_TIME_ZONE": "Pacific/Atlantis"})

    assert str(refused.value) == (
        "HUB_TIME_ZONE must be an IANA time zone such as America/Los_Angeles, not "
        "'Pacific/Atlantis'"
    )
    assert Settings.from_env({}).time_zone == "America/Los_Angeles"

"""One convening as a VEVENT."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from icalendar import Event, vCalAddress
from icalendar.enums import STATUS

from hub.delivery.calendar.facts import Attendee, ConveningFacts
from hub.delivery.calendar.links import convening_page_url, hub_host
from hub.infrastructure.config import Settings


@dataclass(frozen=True)
class Publisher:
    """Who the calendar entries come from: the hub's address and its public URL."""

    base_url: str
    organizer_email: str
    organizer_name: str = "Coalition Hub"

    @classmethod
    def of(cls, settings: Settings) -> Publisher:
        return cls(base_url=settings.base_url, organizer_email=settings.email_from)


def convening_uid(convening_id: int, base_url: str) -> str:
    """Stable forever: calendar apps match updates and cancellations to the entry by it."""
    return f"convening-{convening_id}@{hub_host(base_url)}"


def convening_event(
    facts: ConveningFacts,
    publisher: Publisher,
    *,
    stamp: datetime,
    attendees: Sequence[Attendee] = (),
    language: str = "en",
) -> Event:
    return Event.new(
        uid=convening_uid(facts.id, publisher.base_url),
        sequence=facts.sequence,
        stamp=stamp,
        summary=facts.title,
        start=facts.local_start,
        end=facts.local_end,
        location=facts.place,
        url=convening_page_url(publisher.base_url, facts.id),
        description=_description(facts, publisher.base_url, language),
        organizer=_organizer(publisher),
        attendees=[_attendee(attendee) for attendee in attendees] or None,
        status=STATUS.CANCELLED if facts.is_cancelled else STATUS.CONFIRMED,
    )


# The words an entry's description adds to the convening's own, in each language the hub
# writes (the description itself is the host's, in whatever language they wrote it).
DESCRIPTION_WORDS = {
    "en": {"online": "Join online", "details": "Details and RSVP"},
    "es": {"online": "En línea", "details": "Detalles y respuesta"},
}


def _description(facts: ConveningFacts, base_url: str, language: str) -> str:
    words = DESCRIPTION_WORDS.get(language, DESCRIPTION_WORDS["en"])
    parts = [facts.description.strip()]
    if facts.virtual_url:
        parts.append(f"{words['online']}: {facts.virtual_url}")
    parts.append(f"{words['details']}: {convening_page_url(base_url, facts.id)}")
    return "\n\n".join(part for part in parts if part)


def _organizer(publisher: Publisher) -> vCalAddress:
    address = vCalAddress(f"mailto:{publisher.organizer_email}")
    address.params["CN"] = publisher.organizer_name
    return address


def _attendee(attendee: Attendee) -> vCalAddress:
    address = vCalAddress(f"mailto:{attendee.email}")
    address.params.update(
        {"CN": attendee.name, "ROLE": "REQ-PARTICIPANT", "PARTSTAT": attendee.partstat}
    )
    return address

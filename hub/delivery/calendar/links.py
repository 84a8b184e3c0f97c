"""Where a convening lives on the hub, and "add to calendar" links for it."""

from __future__ import annotations

from datetime import UTC
from urllib.parse import urlencode, urlsplit

from hub.delivery.calendar.facts import ConveningFacts
from hub.delivery.calendar.ids import convening_global_id

GOOGLE_CALENDAR_TEMPLATE = "https://calendar.google.com/calendar/render"
GOOGLE_TIME_FORMAT = "%Y%m%dT%H%M%SZ"


def hub_host(base_url: str) -> str:
    return urlsplit(base_url).hostname or "localhost"


def convening_page_url(base_url: str, convening_id: int) -> str:
    return f"{base_url}/convenings/{convening_global_id(convening_id)}"


def convening_ics_url(base_url: str, convening_id: int) -> str:
    return f"{base_url}/calendar/convenings/{convening_global_id(convening_id)}.ics"


def feed_url(base_url: str, token: str) -> str:
    return f"{base_url}/calendar/feeds/{token}.ics"


def google_calendar_link(facts: ConveningFacts, base_url: str) -> str:
    """Google Calendar's "add event" page, filled in (times in UTC, with the zone named)."""
    start = facts.starts_at.astimezone(UTC).strftime(GOOGLE_TIME_FORMAT)
    end = facts.ends_at.astimezone(UTC).strftime(GOOGLE_TIME_FORMAT)
    details = "\n\n".join(
        part for part in (facts.description, convening_page_url(base_url, facts.id)) if part
    )
    query = {
        "action": "TEMPLATE",
        "text": facts.title,
        "dates": f"{start}/{end}",
        "ctz": facts.time_zone,
        "details": details,
        "location": facts.place or "",
    }
    return f"{GOOGLE_CALENDAR_TEMPLATE}?{urlencode(query)}"

"""The Coordinating Committee's emails as their templates read them: times in the committee's
zone (HUB_TIME_ZONE), dates in the reader's language, links to the meeting and proposals."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from babel.dates import format_date

from hub.delivery.calendar.ids import global_id
from hub.delivery.calendar.links import convening_page_url
from hub.delivery.calendar.times import span
from hub.infrastructure.config import Settings


def committee_values(payload: dict[str, Any], language: str, settings: Settings) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if "meeting" in payload:
        values["meeting"] = meeting_values(payload["meeting"], language, settings)
    if "agenda" in payload:
        values["agenda"] = [proposal_link(item, settings) for item in payload["agenda"]]
    if "actions" in payload:
        values["actions"] = [action_values(a, language, settings) for a in payload["actions"]]
    if "proxy" in payload:
        values["proxy"] = proxy_values(payload["proxy"], language, settings)
    if "action" in payload:
        values["action"] = action_values(payload["action"], language, settings)
    return values


def meeting_values(
    meeting: dict[str, Any] | None, language: str, settings: Settings
) -> dict[str, Any] | None:
    if meeting is None:
        return None
    starts, ends = (datetime.fromisoformat(meeting[k]) for k in ("starts_at", "ends_at"))
    return {
        "title": meeting["title"],
        "when": span(starts, ends, settings.time_zone, language),
        "page_url": convening_page_url(settings.base_url, meeting["id"]),
    }


def proposal_link(proposal: dict[str, Any] | None, settings: Settings) -> dict[str, Any] | None:
    if proposal is None:
        return None
    page = f"{settings.base_url}/proposals/{global_id('Proposal', proposal['id'])}"
    return {"title": proposal["title"], "page_url": page}


def action_values(action: dict[str, Any], language: str, settings: Settings) -> dict[str, Any]:
    due = format_date(date.fromisoformat(action["due_on"]), "full", locale=language)
    return {
        "what": action["what"],
        "organization": action["organization"],
        "due": due,
        "proposal": proposal_link(action["proposal"], settings),
    }


def proxy_values(proxy: dict[str, Any], language: str, settings: Settings) -> dict[str, Any]:
    return {
        **proxy,
        "meeting": meeting_values(proxy.get("meeting"), language, settings),
        "proposal": proposal_link(proxy.get("proposal"), settings),
    }

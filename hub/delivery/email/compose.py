"""An outbox row's payload, rendered into the email the worker sends."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from hub.delivery.calendar.documents import Method, invitation
from hub.delivery.calendar.events import Publisher
from hub.delivery.calendar.facts import Attendee, ConveningFacts
from hub.delivery.calendar.ids import global_id
from hub.delivery.calendar.links import convening_ics_url, convening_page_url, google_calendar_link
from hub.delivery.calendar.times import moment, span
from hub.delivery.email.committee import committee_values
from hub.delivery.email.kinds import TAKES_OUT_OF_CALENDAR, TRANSACTIONAL
from hub.delivery.email.message import Attachment, EmailMessage
from hub.delivery.email.rendering import language_of, render
from hub.delivery.email.unsubscribe_links import unsubscribe_headers, unsubscribe_values
from hub.infrastructure.config import Settings
from hub.infrastructure.models import OutboxMessage


def compose_email(message: OutboxMessage, settings: Settings, *, now: datetime) -> EmailMessage:
    payload = message.payload
    unsubscribe = unsubscribe_values(message, settings)
    values = {**template_values(payload, message, settings), "unsubscribe": unsubscribe}
    rendered = render(message.kind, message.language, values)
    return EmailMessage(
        to=message.recipient_address,
        to_name=payload["recipient_name"],
        sender=settings.email_from,
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        attachments=_invite(payload, message, settings, now=now),
        transactional=message.kind in TRANSACTIONAL,
        tracking={"outbox_id": str(message.id)},
        headers=unsubscribe_headers(unsubscribe),
    )


def template_values(
    payload: dict[str, Any], message: OutboxMessage, settings: Settings
) -> dict[str, Any]:
    values: dict[str, Any] = {"name": payload["recipient_name"], "hub_url": settings.base_url}
    language = language_of(message.language)
    if "convening" in payload:
        facts = ConveningFacts.from_json(payload["convening"])
        values["c"] = _convening_values(facts, language, settings.base_url)
        if message.kind in TAKES_OUT_OF_CALENDAR:
            values["c"].update(ics_url=None, google_url=None)
        values["status"] = payload.get("rsvp_status")
        values["position"] = payload.get("waitlist_position")
        values["invite"] = payload.get("invite")
    if "proposal" in payload:
        values["p"] = _proposal_values(payload["proposal"], language, settings)
    if "message" in payload:  # a host's message to the attendees (hub/domains/convenings/messages)
        values["message"] = payload["message"]
    if "link" in payload:  # a sign-in link (hub/domains/signin)
        values["link"] = payload["link"]
    values.update(committee_values(payload, language, settings))
    return values


def _convening_values(facts: ConveningFacts, language: str, base_url: str) -> dict[str, Any]:
    return {
        "title": facts.title,
        "when": span(facts.starts_at, facts.ends_at, facts.time_zone, language),
        "place": facts.place if facts.place != facts.virtual_url else None,
        "virtual_url": facts.virtual_url,
        "page_url": convening_page_url(base_url, facts.id),
        "ics_url": convening_ics_url(base_url, facts.id),
        "google_url": google_calendar_link(facts, base_url),
    }


def _proposal_values(proposal: dict[str, Any], language: str, settings: Settings) -> dict[str, Any]:
    """A voting window belongs to the committee: its close reads in the committee's zone."""
    closes = proposal.get("voting_closes_at")
    when = datetime.fromisoformat(closes) if closes else None
    return {
        **proposal,
        "closes": moment(when, settings.time_zone, language) if when else None,
        "page_url": f"{settings.base_url}/proposals/{global_id('Proposal', proposal['id'])}",
    }


def _invite(
    payload: dict[str, Any], message: OutboxMessage, settings: Settings, *, now: datetime
) -> tuple[Attachment, ...]:
    method = payload.get("invite")
    if not method:
        return ()
    facts = ConveningFacts.from_json(payload["convening"])
    attendee = Attendee(
        email=message.recipient_address,
        name=payload["recipient_name"],
        partstat=payload["partstat"],
    )
    content = invitation(
        facts,
        Publisher.of(settings),
        attendee,
        Method(method),
        stamp=now,
        language=language_of(message.language),
    )
    content_type = f'text/calendar; method={method}; charset="UTF-8"'
    filename = "cancel.ics" if method == Method.CANCEL else "invite.ics"
    return (Attachment(filename=filename, content_type=content_type, content=content),)

"""A host's message to a convening's attendees (GOING, WAITLISTED or both): stored once, then
one email to each recipient through the outbox, in their language. The form's key makes a
message posted twice one message: the second post finds the first and sends nothing more."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.access.auth.viewer import Viewer
from hub.access.permissions import convenings as rules
from hub.common.errors import InputChecks, InputError
from hub.delivery.notifications import convenings as notify
from hub.domains.convenings import lookup
from hub.domains.convenings import validation as valid
from hub.domains.convenings.errors import ConveningErrorCode as Code
from hub.infrastructure.models import AttendeeMessage, Organization
from hub.infrastructure.models.convenings import ConveningStatus, MessageAudience, RsvpStatus

AUDIENCES = {
    MessageAudience.GOING: (RsvpStatus.GOING,),
    MessageAudience.WAITLISTED: (RsvpStatus.WAITLISTED,),
    MessageAudience.ALL: (RsvpStatus.GOING, RsvpStatus.WAITLISTED),
}
MAX_SUBJECT = 200
MAX_TEXT = 5000
MAX_KEY = 64


@dataclass(frozen=True)
class NewMessage:
    convening_id: int
    audience: MessageAudience
    subject: str
    text: str
    key: str
    subject_es: str = ""
    text_es: str = ""


async def message_attendees(
    session: AsyncSession, viewer: Viewer, given: NewMessage
) -> AttendeeMessage:
    rules.require_person(viewer)
    convening = await lookup.locked_convening(session, viewer, given.convening_id)
    hosts = await lookup.host_ids(session, convening.id)
    rules.require_may_message_attendees(viewer, hosts)
    key = form_key(given.key)
    sent = await _sent_with_key(session, convening.id, key)
    if sent is not None:
        return sent
    if convening.status == ConveningStatus.CANCELLED:
        raise InputError("conveningId", Code.CONVENING_CANCELLED, "This convening is cancelled.")
    message = AttendeeMessage(
        convening_id=convening.id,
        sent_by_id=viewer.person_id,
        audience=given.audience,
        idempotency_key=key,
        **_checked_texts(given),
    )
    session.add(message)
    await session.flush()
    sender = await _sender(session, hosts)
    message.recipient_count = await notify.host_message(
        session, convening, message, AUDIENCES[given.audience], sender
    )
    await session.flush()
    return message


def form_key(value: str) -> str:
    cleaned = (value or "").strip()
    if not cleaned or len(cleaned) > MAX_KEY:
        raise InputError("key", Code.FORM_KEY_REQUIRED, "Send the form's key (1-64 characters).")
    return cleaned


def _checked_texts(given: NewMessage) -> dict[str, str]:
    checks = InputChecks()
    cleaned: dict[str, str] = {}
    checks.keep(
        cleaned, "subject", lambda: valid.required_text("subject", given.subject, MAX_SUBJECT)
    )
    checks.keep(cleaned, "text", lambda: valid.required_text("text", given.text, MAX_TEXT))
    checks.keep(
        cleaned,
        "subject_es",
        lambda: valid.optional_text("subjectEs", given.subject_es, MAX_SUBJECT) or "",
    )
    checks.keep(
        cleaned, "text_es", lambda: valid.optional_text("textEs", given.text_es, MAX_TEXT) or ""
    )
    _spanish_together(checks, cleaned)
    checks.raise_found()
    return cleaned


def _spanish_together(checks: InputChecks, cleaned: dict[str, str]) -> None:
    """A Spanish version is a subject and a text: half of one is a mistake."""
    subject, text = cleaned.get("subject_es"), cleaned.get("text_es")
    if subject is None or text is None or bool(subject) == bool(text):
        return
    field = "textEs" if subject else "subjectEs"
    checks.refuse(InputError(field, Code.REQUIRED, "Give the Spanish subject and text together."))


async def _sent_with_key(
    session: AsyncSession, convening_id: int, key: str
) -> AttendeeMessage | None:
    statement = select(AttendeeMessage).where(
        AttendeeMessage.convening_id == convening_id, AttendeeMessage.idempotency_key == key
    )
    return await session.scalar(statement)


async def _sender(session: AsyncSession, host_ids: list[int]) -> str:
    """Who the message comes from, as its readers know them: the hosting organizations."""
    names = await session.scalars(
        select(Organization.name).where(Organization.id.in_(host_ids)).order_by(Organization.name)
    )
    return " & ".join(names) or "Coalition Hub"


async def sent_messages(session: AsyncSession, convening_ids: list[int]) -> list[AttendeeMessage]:
    """The messages sent to these convenings' attendees, newest first. The caller checks who
    may see them (`rules.may_see_attendee_messages`)."""
    statement = (
        select(AttendeeMessage)
        .where(AttendeeMessage.convening_id.in_(convening_ids))
        .order_by(AttendeeMessage.convening_id, AttendeeMessage.id.desc())
    )
    return list(await session.scalars(statement))

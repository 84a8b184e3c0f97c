"""Messages caused by convenings and RSVPs. Called by hub/domains/convenings services, inside the
same transaction as the change: each writes its emails (with iTIP invitations) to the outbox,
so nothing is sent for a change that rolled back."""

from __future__ import annotations

from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncSession

from hub.delivery.calendar.documents import Method
from hub.delivery.calendar.facts import ConveningFacts
from hub.delivery.email import preferences
from hub.delivery.email.addresses import reachable_email
from hub.delivery.email.enqueue import enqueue_email
from hub.delivery.email.kinds import MessageKind
from hub.delivery.email.payloads import convening_payload
from hub.delivery.notifications.recipients import answered, may_be_told
from hub.delivery.webhooks import emit as webhooks
from hub.delivery.webhooks.events import EventType
from hub.infrastructure.models import AttendeeMessage, Convening, Person, Rsvp
from hub.infrastructure.models.convenings import RsvpStatus
from hub.infrastructure.models.directory import Language

# How an RSVP shows on the attendee's line of an invitation.
PARTSTAT = {RsvpStatus.GOING: "ACCEPTED", RsvpStatus.MAYBE: "TENTATIVE"}
HOLDS_INVITE = frozenset(PARTSTAT)
HOST_MESSAGES = str(preferences.EmailCategory.HOST_MESSAGES)


async def rsvp_answered(
    session: AsyncSession,
    rsvp: Rsvp,
    convening: Convening,
    previous: RsvpStatus | None,
    *,
    seen: bool = False,
) -> None:
    """An RSVP was created or its status changed (GOING, MAYBE, NOT_GOING, WAITLISTED),
    including a cancelled RSVP (status NOT_GOING). GOING and MAYBE get the invitation,
    WAITLISTED a note, and leaving after GOING or MAYBE a cancellation of the invitation.
    `seen`: the caller checked, in this transaction, that the person may see the convening."""
    if rsvp.status == previous:
        return
    if not seen and not await may_be_told(session, convening.id, rsvp.person_id):
        return
    person = await session.get_one(Person, rsvp.person_id)
    facts = ConveningFacts.from_model(convening)
    key = f"rsvp:{rsvp.id}:{rsvp.status}@{await _changed_at(session, rsvp)}"
    if rsvp.status in HOLDS_INVITE:
        await _invite(session, person, facts, rsvp.status, MessageKind.RSVP_CONFIRMED, key)
    elif rsvp.status == RsvpStatus.WAITLISTED:
        payload = convening_payload(
            person.name, facts, rsvp_status=rsvp.status, waitlist_position=rsvp.waitlist_position
        )
        await enqueue_email(
            session, person, kind=MessageKind.RSVP_WAITLISTED, dedupe_key=key, payload=payload
        )
    elif previous in HOLDS_INVITE:
        payload = convening_payload(person.name, facts, invite=Method.CANCEL, partstat="DECLINED")
        await enqueue_email(
            session, person, kind=MessageKind.RSVP_WITHDRAWN, dedupe_key=key, payload=payload
        )


async def waitlist_promoted(session: AsyncSession, rsvp: Rsvp, convening: Convening) -> None:
    """A WAITLISTED RSVP became GOING because a place freed up."""
    if not await may_be_told(session, convening.id, rsvp.person_id):
        return
    person = await session.get_one(Person, rsvp.person_id)
    key = f"promoted:{rsvp.id}@{await _changed_at(session, rsvp)}"
    facts = ConveningFacts.from_model(convening)
    await _invite(session, person, facts, RsvpStatus.GOING, MessageKind.WAITLIST_PROMOTED, key)


async def convening_changed(session: AsyncSession, convening: Convening, *, material: bool) -> None:
    """A convening was updated; `material` when time, place or status changed (its
    `sequence` has then already been raised). Everyone holding the invitation gets the update,
    with the same UID and the new SEQUENCE. Subscribed clients hear of every change."""
    await webhooks.convening_event(session, EventType.CONVENING_UPDATED, convening)
    if not material:
        return
    facts = ConveningFacts.from_model(convening)
    for person, rsvp in await answered(session, convening.id, HOLDS_INVITE):
        key = f"convening-updated:{convening.id}:{convening.sequence}:{person.id}"
        await _invite(session, person, facts, rsvp.status, MessageKind.CONVENING_UPDATED, key)


async def convening_cancelled(session: AsyncSession, convening: Convening) -> None:
    """A convening was cancelled (status CANCELLED, sequence raised). Those holding the
    invitation get METHOD:CANCEL; the waitlist gets the news without one."""
    await webhooks.convening_event(session, EventType.CONVENING_CANCELLED, convening)
    facts = ConveningFacts.from_model(convening)
    told = HOLDS_INVITE | {RsvpStatus.WAITLISTED}
    for person, rsvp in await answered(session, convening.id, told):
        invite = Method.CANCEL if rsvp.status in HOLDS_INVITE else None
        payload = convening_payload(person.name, facts, invite=invite, partstat="DECLINED")
        await enqueue_email(
            session,
            person,
            kind=MessageKind.CONVENING_CANCELLED,
            dedupe_key=f"convening-cancelled:{convening.id}:{person.id}",
            payload=payload,
        )


async def convening_created(session: AsyncSession, convening: Convening) -> None:
    """A convening was scheduled: subscribed clients hear of it (no one holds an invitation)."""
    await webhooks.convening_event(session, EventType.CONVENING_CREATED, convening)


async def rsvp_counts_changed(session: AsyncSession, convening: Convening) -> None:
    """An RSVP changed how the convening's counts stand (an answer, a cancellation or a
    promotion from the waitlist)."""
    await webhooks.rsvp_counts_event(session, convening)


async def host_message(
    session: AsyncSession,
    convening: Convening,
    message: AttendeeMessage,
    statuses: tuple[RsvpStatus, ...],
    sender: str,
) -> int:
    """A host wrote to those whose answer has one of these statuses: one email each (the
    message's id and the person name it), in their language when the host gave it. Not
    transactional. Returns how many were queued."""
    facts = ConveningFacts.from_model(convening)
    queued = 0
    recipients = await answered(session, convening.id, statuses)
    stopped = await preferences.stopped_by_person(session, [p.id for p, _ in recipients])
    for person, _ in recipients:
        # No address to write to, or hosts' messages turned off: not a recipient (the outbox
        # would hold back the second anyway; counting them would overstate who was told).
        if reachable_email(person.email) is None or HOST_MESSAGES in stopped.get(person.id, ()):
            continue
        payload = convening_payload(person.name, facts)
        payload["message"] = {"sender": sender, **_in_language(message, person)}
        queued += await enqueue_email(
            session,
            person,
            kind=MessageKind.HOST_MESSAGE,
            dedupe_key=f"host-message:{message.id}:{person.id}",
            payload=payload,
        )
    return queued


def _in_language(message: AttendeeMessage, person: Person) -> dict[str, str]:
    if person.preferred_language == Language.ES and message.subject_es:
        return {"subject": message.subject_es, "text": message.text_es}
    return {"subject": message.subject, "text": message.text}


async def _changed_at(session: AsyncSession, rsvp: Rsvp) -> str:
    """When the RSVP last changed: with its id, this names one answer, so the message for it
    is enqueued once however often the notifier is told."""
    await session.flush()
    if "updated_at" in inspect(rsvp).unloaded:
        await session.refresh(rsvp, attribute_names=["updated_at"])
    return rsvp.updated_at.isoformat()


async def _invite(
    session: AsyncSession,
    person: Person,
    facts: ConveningFacts,
    status: RsvpStatus,
    kind: MessageKind,
    dedupe_key: str,
) -> None:
    payload = convening_payload(
        person.name, facts, invite=Method.REQUEST, partstat=PARTSTAT[status], rsvp_status=status
    )
    await enqueue_email(session, person, kind=kind, dedupe_key=dedupe_key, payload=payload)

"""The outbox honours a person's stopped categories when it claims a message, for every kind
in that category, whoever enqueued it: messages from hosts (`host_message`) obey a stop of
host_messages and only that."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from hub.delivery.email import preferences
from hub.delivery.email.enqueue import enqueue_email
from hub.delivery.email.preferences import EmailCategory
from hub.delivery.email.withholding import withheld_emails
from hub.delivery.outbox.claims import claim_due
from hub.delivery.outbox.policy import RetryPolicy
from hub.infrastructure.db import transaction
from hub.infrastructure.models import OutboxMessage
from hub.infrastructure.models.base import utcnow
from hub.infrastructure.models.outbox import Channel, OutboxStatus
from tests.factories import create_person

EMAIL_WITHHOLDS = {Channel.EMAIL: withheld_emails}  # as hub/worker.py composes the worker
KINDS = ("convening_reminder", "host_message", "committee_action_due", "rsvp_confirmed")


async def claimed_statuses(runtime, stopped: list[EmailCategory]) -> dict[str, str]:
    async with transaction(runtime.sessions) as session:
        person = await create_person(session, email="ana@example.org")
        await preferences.stop(session, person.id, stopped)
        for kind in KINDS:
            payload = {"recipient_name": "Ana"}
            await enqueue_email(session, person, kind=kind, dedupe_key=kind, payload=payload)
    async with transaction(runtime.sessions) as session:
        now = utcnow() + timedelta(seconds=1)
        claimed = await claim_due(
            session, RetryPolicy(), now=now, limit=10, withholdings=EMAIL_WITHHOLDS
        )
        return {message.kind: str(message.status) for message in claimed}


async def test_a_stop_of_host_messages_stops_only_them(runtime):
    assert await claimed_statuses(runtime, [EmailCategory.HOST_MESSAGES]) == {
        "convening_reminder": OutboxStatus.SENDING,
        "host_message": OutboxStatus.SUPPRESSED,
        "committee_action_due": OutboxStatus.SENDING,
        "rsvp_confirmed": OutboxStatus.SENDING,
    }


async def test_a_stop_of_reminders_leaves_host_messages_and_transactional_mail(runtime):
    assert await claimed_statuses(runtime, [EmailCategory.REMINDERS]) == {
        "convening_reminder": OutboxStatus.SUPPRESSED,
        "host_message": OutboxStatus.SENDING,
        "committee_action_due": OutboxStatus.SENDING,
        "rsvp_confirmed": OutboxStatus.SENDING,
    }


async def test_every_stop_still_leaves_transactional_mail(runtime):
    statuses = await claimed_statuses(runtime, list(EmailCategory))
    assert statuses["rsvp_confirmed"] == OutboxStatus.SENDING
    assert {k for k, v in statuses.items() if v == OutboxStatus.SUPPRESSED} == set(KINDS[:3])


async def test_a_host_message_carries_its_own_unsubscribe_token(runtime):
    async with transaction(runtime.sessions) as session:
        person = await create_person(session)
        await enqueue_email(
            session, person, kind="host_message", dedupe_key="h", payload={"recipient_name": "A"}
        )
    async with runtime.sessions() as session:
        row = await session.scalar(select(OutboxMessage))
        assert row is not None
        owner = await preferences.token_owner(session, row.payload[preferences.TOKEN_KEY])
    assert owner == preferences.Unsubscribed(person.id, EmailCategory.HOST_MESSAGES)

"""`retryOutboxMessage`: an admin queues a FAILED message again, once, even when two retries
come at once; a message in any other state is refused with its reason, and nothing changes.
`outbox` filters by channel and reads newest first."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from hub.delivery.outbox.enqueue import enqueue_webhook
from hub.infrastructure.models import AuditEvent, OutboxMessage
from hub.infrastructure.models.outbox import OutboxStatus
from hub.interfaces.graphql.node import to_global_id
from tests.factories import create_admin, create_person
from tests.infrastructure.outbox import clock, outbox_rows, worker
from tests.infrastructure.sendgrid_standin import sendgrid_standin
from tests.outbox.factories import REFUSED, create_message

__all__ = ["clock", "sendgrid_standin", "worker"]

RETRY = """
mutation ($id: ID!) {
  retryOutboxMessage(input: {id: $id}) {
    message { id status attempts lastError }
    errors { field code message }
  }
}
"""
OUTBOX = """
query ($status: OutboxStatus, $channel: Channel, $newestFirst: Boolean!, $after: String) {
  outbox(status: $status, channel: $channel, newestFirst: $newestFirst, first: 2, after: $after) {
    totalCount
    edges { node { recipientAddress channel } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


async def states(runtime) -> list[tuple]:
    async with runtime.sessions() as session:
        rows = await session.execute(
            select(OutboxMessage.id, OutboxMessage.status, OutboxMessage.attempts).order_by(
                OutboxMessage.id
            )
        )
        return [tuple(row) for row in rows.all()]


async def audit(runtime) -> list[tuple]:
    async with runtime.sessions() as session:
        rows = await session.execute(
            select(AuditEvent.action, AuditEvent.actor_id, AuditEvent.detail)
        )
        return [tuple(row) for row in rows.all()]


def gid(message: OutboxMessage) -> str:
    return to_global_id("OutboxMessage", message.id)


async def test_a_retried_message_is_queued_again_audited_and_then_delivered(
    session, runtime, gql, worker
):
    # Given a message SendGrid refused for good
    admin = await create_admin(session)
    person = await create_person(session, email="ines@example.org")
    failed = await create_message(session, person, OutboxStatus.FAILED)
    await session.commit()

    # When an admin retries it
    data = await gql.data(RETRY, {"id": gid(failed)}, as_=admin)

    # Then it is queued again (its last error kept), the trail says who, and the worker sends it
    assert data["retryOutboxMessage"] == {
        "message": {"id": gid(failed), "status": "PENDING", "attempts": 1, "lastError": REFUSED},
        "errors": [],
    }
    assert await audit(runtime) == [
        (
            "OUTBOX_MESSAGE_RETRIED",
            admin.id,
            f"email signin_link to ines@example.org (#{failed.id})",
        )
    ]
    await worker.drain()
    [row] = await outbox_rows(runtime)
    assert (row.status, row.attempts) == (OutboxStatus.SENT, 2)


async def test_two_retries_at_once_queue_the_message_once(session, runtime, gql):
    admin = await create_admin(session)
    failed = await create_message(session, await create_person(session), OutboxStatus.FAILED)
    await session.commit()

    answers = await asyncio.gather(
        *(gql.data(RETRY, {"id": gid(failed)}, as_=admin) for _ in range(2))
    )

    codes = sorted(
        [e["code"] for e in a["retryOutboxMessage"]["errors"]] or ["OK"] for a in answers
    )
    assert codes == [["ALREADY_QUEUED"], ["OK"]]
    assert await states(runtime) == [(failed.id, OutboxStatus.PENDING, 1)]
    assert [action for action, _, _ in await audit(runtime)] == ["OUTBOX_MESSAGE_RETRIED"]


async def test_only_failed_messages_are_retried(session, runtime, gql):
    # Given a message in each other state, and a suppressed one
    admin = await create_admin(session)
    person = await create_person(session)
    others = {
        status: await create_message(session, person, status)
        for status in (OutboxStatus.PENDING, OutboxStatus.SENDING, OutboxStatus.SENT)
    }
    suppressed = await create_message(session, person, OutboxStatus.SENT)
    suppressed.status = OutboxStatus.SUPPRESSED
    await session.commit()
    before = await states(runtime)

    # When an admin retries each, an unknown id and a malformed one
    expected = {
        gid(others[OutboxStatus.PENDING]): "ALREADY_QUEUED",
        gid(others[OutboxStatus.SENDING]): "BEING_SENT",
        gid(others[OutboxStatus.SENT]): "ALREADY_SENT",
        gid(suppressed): "SUPPRESSED",
        to_global_id("OutboxMessage", 999_999): "UNKNOWN_MESSAGE",
        "not-an-id": "UNKNOWN_MESSAGE",
    }
    got = {}
    for message_id in expected:
        payload = (await gql.data(RETRY, {"id": message_id}, as_=admin))["retryOutboxMessage"]
        assert payload["message"] is None
        [error] = payload["errors"]
        assert error["field"] == "id"
        got[message_id] = error["code"]

    # Then each is refused with its reason, and nothing changed
    assert got == expected
    assert await states(runtime) == before
    assert await audit(runtime) == []


async def test_the_outbox_filters_by_channel_and_reads_newest_first(session, gql):
    admin = await create_admin(session)
    for n in range(3):
        await create_message(
            session, await create_person(session, email=f"p{n}@example.org"), OutboxStatus.PENDING
        )
    await enqueue_webhook(
        session, "https://peer.example/h", kind="convening.created", dedupe_key="w", payload={}
    )
    await session.commit()

    def page(data):
        found = data["outbox"]
        return [e["node"]["recipientAddress"] for e in found["edges"]], found

    emails, first = page(
        await gql.data(OUTBOX, {"channel": "EMAIL", "newestFirst": True}, as_=admin)
    )
    rest, _ = page(
        await gql.data(
            OUTBOX,
            {"channel": "EMAIL", "newestFirst": True, "after": first["pageInfo"]["endCursor"]},
            as_=admin,
        )
    )
    hooks, _ = page(await gql.data(OUTBOX, {"channel": "WEBHOOK", "newestFirst": False}, as_=admin))

    assert first["totalCount"] == 3
    assert emails + rest == ["p2@example.org", "p1@example.org", "p0@example.org"]
    assert hooks == ["https://peer.example/h"]

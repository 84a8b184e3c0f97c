"""Webhook deliveries end to end: an event in a service, the outbox, the worker, a real
receiver that checks every signature with the README's code."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from standardwebhooks import WebhookVerificationError

from hub.access.auth.viewer import Viewer
from hub.delivery.email.senders import ConsoleSender
from hub.delivery.outbox.policy import RetryPolicy
from hub.delivery.outbox.worker import OutboxWorker
from hub.delivery.webhooks.delivery import signed_headers
from hub.domains.convenings import schedule
from hub.infrastructure.models.base import utcnow
from hub.infrastructure.models.convenings import ConveningKind, Visibility
from hub.infrastructure.models.outbox import Channel, OutboxStatus
from hub.interfaces.graphql.node import to_global_id
from hub.worker import outbox_worker
from tests.factories import create_admin, create_organization
from tests.infrastructure.outbox import outbox_rows
from tests.webhooks.subscribing import peer_with_token, subscribe
from tests.webhooks.verifier import readme_verifier


def worker(runtime, private_settings, clock) -> OutboxWorker:
    return outbox_worker(
        sessions=runtime.sessions,
        settings=private_settings,
        sender=ConsoleSender(),
        policy=RetryPolicy(),
        clock=clock,
    )


async def schedule_convening(session, visibility: Visibility = Visibility.PUBLIC) -> int:
    admin = await create_admin(session)
    host = await create_organization(session)
    start = utcnow().replace(microsecond=0) + timedelta(days=10)
    changes = schedule.ConveningChanges(
        title="Statewide strategy session",
        kind=ConveningKind.STRATEGY_SESSION,
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        time_zone="America/Los_Angeles",
        venue_name="Union hall",
        visibility=visibility,
        host_ids=[host.id],
    )
    viewer = Viewer(person_id=admin.id, is_admin=True)
    convening = await schedule.create_convening(session, viewer, changes)
    await session.commit()
    return convening.id


@pytest.fixture
async def subscribed(session, private_app, private_gql, receiver):
    """A peer subscribed to every event at the receiver, which checks with the README code."""
    token = await peer_with_token(private_app, session)
    created = await subscribe(private_gql, token, receiver.url)
    verifier = readme_verifier()

    def accept(body: bytes, headers: dict[str, str]) -> bool:
        try:
            verifier["verify_delivery"](created["secret"], body, headers)
        except WebhookVerificationError:
            return False
        return True

    receiver.accept = accept
    return created, verifier


async def test_every_delivery_is_signed_and_verified(
    session, runtime, private_settings, clock, receiver, subscribed
):
    # Given a peer subscribed to convening events (the `subscribed` fixture)
    # When an admin schedules a public convening and the worker runs
    convening_id = await schedule_convening(session)
    report = await worker(runtime, private_settings, clock).drain()

    # Then the receiver got one delivery, whose signature the README's code accepted
    (delivery,) = receiver.deliveries
    assert delivery.status == 204
    assert report.sent == 1
    event = json.loads(delivery.body)
    assert event["type"] == "convening.created"
    assert event["data"]["id"] == str(to_global_id("Convening", convening_id))
    assert event["data"]["title"] == "Statewide strategy session"
    assert delivery.headers["webhook-id"].startswith("msg_")
    assert delivery.headers["webhook-signature"].startswith("v1,")
    (row,) = await outbox_rows(runtime, channel=Channel.WEBHOOK)
    assert (row.status, row.attempts, row.recipient_address) == (
        OutboxStatus.SENT,
        1,
        receiver.url,
    )


async def test_a_receiver_that_fails_three_times_gets_the_event_on_the_fourth_once(
    session, runtime, private_settings, clock, receiver, subscribed
):
    # Given a receiver that will fail the next three deliveries
    receiver.fail_next(3)
    await schedule_convening(session)
    delivering = worker(runtime, private_settings, clock)

    # When the worker tries, and tries again after each back-off
    for _ in range(6):
        await delivering.drain()
        clock.advance(timedelta(minutes=10))

    # Then the fourth try succeeded, the same message each time, and nothing came after
    assert [d.status for d in receiver.deliveries] == [500, 500, 500, 204]
    assert len({d.headers["webhook-id"] for d in receiver.deliveries}) == 1
    assert len({d.body for d in receiver.deliveries}) == 1
    (row,) = await outbox_rows(runtime, channel=Channel.WEBHOOK)
    assert (row.status, row.attempts, row.last_error) == (OutboxStatus.SENT, 4, None)


async def test_the_back_off_waits_before_each_retry(
    session, runtime, private_settings, clock, receiver, subscribed
):
    # Given a delivery that failed once
    receiver.fail_next(1)
    await schedule_convening(session)
    delivering = worker(runtime, private_settings, clock)
    await delivering.drain()

    # When the worker runs again at once
    await delivering.drain()

    # Then it waits for the back-off: no second try yet, the row due a minute later
    assert [d.status for d in receiver.deliveries] == [500]
    (row,) = await outbox_rows(runtime, channel=Channel.WEBHOOK)
    assert row.status == OutboxStatus.PENDING
    assert row.last_error == f"{receiver.url} answered 500."
    assert timedelta(seconds=50) < row.next_attempt_at - utcnow() <= timedelta(minutes=1)


async def test_forged_and_replayed_deliveries_are_refused_by_the_readme_verifier(
    session, runtime, private_settings, clock, receiver, subscribed
):
    # Given one genuine delivery, accepted
    created, verifier = subscribed
    await schedule_convening(session)
    await worker(runtime, private_settings, clock).drain()
    (genuine,) = receiver.deliveries
    verify = verifier["verify_delivery"]
    secret = created["secret"]

    # Then the same delivery again is a replay
    with pytest.raises(WebhookVerificationError, match="replay"):
        verify(secret, genuine.body, genuine.headers)
    # And a changed body, another secret, or a stale re-signed copy are refused
    forged_body = genuine.body.replace(b"Statewide", b"Secret")
    with pytest.raises(WebhookVerificationError):
        verify(secret, forged_body, genuine.headers)
    other_secret = "whsec_" + "A" * 43 + "="
    with pytest.raises(WebhookVerificationError):
        verify(other_secret, genuine.body, genuine.headers)
    stale = signed_headers(
        secret, "msg_old", genuine.body.decode(), utcnow() - timedelta(minutes=10)
    )
    with pytest.raises(WebhookVerificationError, match="too old"):
        verify(secret, genuine.body, stale)


async def test_a_members_only_convening_is_not_announced_to_a_peer(
    session, runtime, private_settings, clock, receiver, subscribed
):
    # Given a peer subscribed to convening events
    # When an admin schedules a MEMBERS convening
    await schedule_convening(session, Visibility.MEMBERS)
    await worker(runtime, private_settings, clock).drain()

    # Then nothing was queued for the peer, nor delivered
    assert await outbox_rows(runtime, channel=Channel.WEBHOOK) == []
    assert receiver.deliveries == []


async def test_a_cancellation_is_announced_after_the_creation(
    session, runtime, private_settings, clock, receiver, subscribed
):
    # Given a public convening, announced
    convening_id = await schedule_convening(session)
    admin = await create_admin(session)
    await session.commit()

    # When it is cancelled
    viewer = Viewer(person_id=admin.id, is_admin=True)
    await schedule.cancel_convening(session, viewer, convening_id)
    await session.commit()
    await worker(runtime, private_settings, clock).drain()

    # Then the receiver heard both, in order
    types = [json.loads(d.body)["type"] for d in receiver.deliveries]
    assert types == ["convening.created", "convening.cancelled"]
    assert json.loads(receiver.deliveries[1].body)["data"]["status"] == "CANCELLED"

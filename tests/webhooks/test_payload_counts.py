"""`convening.rsvp_counts_changed` carries the counts `Convening.counts` shows, as they stand
after the answer that changed them (hub/domains/convenings/counts.py)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from hub.access.auth.viewer import Viewer
from hub.domains.convenings import rsvps
from hub.infrastructure.models import OutboxMessage
from hub.infrastructure.models.base import utcnow
from hub.infrastructure.models.convenings import RsvpStatus, Visibility
from hub.infrastructure.models.outbox import Channel
from tests.convenings.factories import create_convening, create_member
from tests.webhooks.subscribing import peer_with_token, subscribe


async def test_each_answer_sends_the_counts_it_leaves(
    session, runtime, private_app, private_gql, receiver
):
    # Given a peer subscribed to every event, and a public convening with room for one
    await subscribe(private_gql, await peer_with_token(private_app, session), receiver.url)
    convening = await create_convening(
        session,
        visibility=Visibility.PUBLIC,
        capacity=1,
        starts_at=utcnow().replace(microsecond=0) + timedelta(days=3),
    )
    members = [await create_member(session) for _ in range(3)]
    await session.commit()

    # When three members answer GOING, GOING (the waitlist) and MAYBE, each in a request
    answers = (RsvpStatus.GOING, RsvpStatus.GOING, RsvpStatus.MAYBE)
    for member, status in zip(members, answers, strict=True):
        async with runtime.sessions() as later:
            answer = rsvps.Answer(convening_id=convening.id, status=status)
            await rsvps.answer(later, Viewer(person_id=member.id), answer)
            await later.commit()

    # Then each event carries the counts as they stood after it
    async with runtime.sessions() as reading:
        payloads = await reading.scalars(
            select(OutboxMessage.payload)
            .where(OutboxMessage.channel == Channel.WEBHOOK)
            .order_by(OutboxMessage.id)
        )
        counts = [p["event"]["data"]["counts"] for p in payloads]
    assert counts == [
        {"going": 1, "maybe": 0, "waitlisted": 0, "notGoing": 0},
        {"going": 1, "maybe": 0, "waitlisted": 1, "notGoing": 0},
        {"going": 1, "maybe": 1, "waitlisted": 1, "notGoing": 0},
    ]

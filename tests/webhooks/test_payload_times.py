"""One convening, one time format: every event's payload gives its times as ISO 8601 with the
convening's own offset, beside its `timeZone`, as the API's `startsAt` does."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from hub.access.auth.viewer import Viewer
from hub.domains.convenings import rsvps, schedule
from hub.infrastructure.models import OutboxMessage
from hub.infrastructure.models.convenings import ConveningKind, RsvpStatus, Visibility
from hub.infrastructure.models.outbox import Channel
from tests.convenings.factories import create_member
from tests.factories import create_admin, create_organization
from tests.webhooks.subscribing import peer_with_token, subscribe


async def _events(runtime) -> list[tuple[str, str, str, str]]:
    async with runtime.sessions() as session:
        payloads = await session.scalars(
            select(OutboxMessage.payload)
            .where(OutboxMessage.channel == Channel.WEBHOOK)
            .order_by(OutboxMessage.id)
        )
        return [
            (
                p["event"]["type"],
                p["event"]["data"]["startsAt"],
                p["event"]["data"]["endsAt"],
                p["event"]["data"]["timeZone"],
            )
            for p in payloads
        ]


async def test_every_event_of_a_convening_carries_its_times_alike(
    session, runtime, private_app, private_gql, receiver
):
    # Given a peer subscribed to every event, and a convening scheduled at 09:00 in Los Angeles
    await subscribe(private_gql, await peer_with_token(private_app, session), receiver.url)
    admin = Viewer(person_id=(await create_admin(session)).id, is_admin=True)
    changes = schedule.ConveningChanges(
        title="Strategy session",
        kind=ConveningKind.STRATEGY_SESSION,
        starts_at=datetime(2031, 1, 27, 9, 0),
        ends_at=datetime(2031, 1, 27, 15, 0),
        time_zone="America/Los_Angeles",
        venue_name="Union hall",
        visibility=Visibility.PUBLIC,
        host_ids=[(await create_organization(session)).id],
    )
    convening = await schedule.create_convening(session, admin, changes)
    member = await create_member(session)
    await session.commit()

    # When it is changed, answered and cancelled, each in a request of its own
    async with runtime.sessions() as later:
        retitle = schedule.ConveningChanges(title="Renamed")
        await schedule.update_convening(later, admin, convening.id, retitle)
        await later.commit()
    async with runtime.sessions() as later:
        answer = rsvps.Answer(convening_id=convening.id, status=RsvpStatus.GOING)
        viewer = Viewer(person_id=member.id)
        await rsvps.answer(later, viewer, answer)
        await later.commit()
    async with runtime.sessions() as later:
        await schedule.cancel_convening(later, admin, convening.id)
        await later.commit()

    # Then every event gives the same times, in the convening's offset
    times = ("2031-01-27T09:00:00-08:00", "2031-01-27T15:00:00-08:00", "America/Los_Angeles")
    assert await _events(runtime) == [
        ("convening.created", *times),
        ("convening.updated", *times),
        ("convening.rsvp_counts_changed", *times),
        ("convening.cancelled", *times),
    ]

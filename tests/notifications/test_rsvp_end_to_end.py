"""The whole path: the `rsvp` mutation writes the confirmation in its transaction, and the
worker delivers it once through the real sendgrid client."""

from __future__ import annotations

import icalendar

from hub.infrastructure.models.convenings import Visibility
from hub.infrastructure.models.outbox import OutboxStatus
from hub.interfaces.graphql.node import to_global_id
from tests.convenings.factories import create_convening, create_member
from tests.infrastructure.outbox import attached_calendar, outbox_rows

RSVP = """
mutation ($input: RsvpInput!) {
  rsvp(input: $input) { rsvp { status } errors { code } }
}
"""


def answer(convening_id: int, status: str = "GOING") -> dict[str, object]:
    return {"input": {"conveningId": to_global_id("Convening", convening_id), "status": status}}


async def test_an_rsvp_through_the_api_gives_one_delivered_invitation(
    session, gql, runtime, worker, sendgrid_standin
):
    # Given a member and a convening they may see
    person = await create_member(session, email="noemi@example.org")
    convening = await create_convening(session, title="Strategy Session")
    await session.commit()

    # When they answer GOING, and the worker runs twice
    data = await gql.data(RSVP, answer(convening.id), as_=person)
    await worker.drain()
    await worker.drain()

    # Then one email went out, with the invitation for them
    assert data["rsvp"] == {"rsvp": {"status": "GOING"}, "errors": []}
    (request,) = sendgrid_standin.requests
    assert (request.to, request.subject) == ("noemi@example.org", "You're going: Strategy Session")
    (event,) = icalendar.Calendar.from_ical(attached_calendar(request)).walk("VEVENT")
    assert event["UID"] == f"convening-{convening.id}@hub.test"
    assert str(event["ATTENDEE"]) == "mailto:noemi@example.org"
    (row,) = await outbox_rows(runtime)
    assert row.status == OutboxStatus.SENT


async def test_a_refused_rsvp_queues_nothing(session, gql, runtime):
    person = await create_member(session)
    hidden = await create_convening(session, visibility=Visibility.COMMITTEE)
    await session.commit()

    data = await gql.data(RSVP, answer(hidden.id), as_=person)

    assert data["rsvp"]["errors"] != []
    assert await outbox_rows(runtime) == []

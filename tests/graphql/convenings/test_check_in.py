"""Check-in at the door: hosts record arrival, can undo it, and nobody else can."""

from __future__ import annotations

from hub.infrastructure.models import Rsvp
from hub.infrastructure.models.convenings import ConveningStatus
from tests.convenings.factories import create_contact, create_convening, create_member, create_rsvp
from tests.factories import create_admin, create_organization
from tests.graphql.convenings.documents import gid

CHECK_IN = """
mutation ($id: ID!, $undo: Boolean) {
  checkIn(input: {rsvpId: $id, undo: $undo}) {
    rsvp { status checkedInAt convening { counts { attended } } }
    errors { field code }
  }
}
"""


async def _checked_in_at(runtime, rsvp_id: int):
    async with runtime.sessions() as session:
        return (await session.get_one(Rsvp, rsvp_id)).checked_in_at


async def test_a_host_contact_checks_someone_in_and_can_undo_it(session, gql, runtime):
    host = await create_organization(session)
    contact = await create_contact(session, host)
    convening = await create_convening(session, hosts=[host], time_zone="America/New_York")
    rsvp = await create_rsvp(session, convening, await create_member(session))
    await session.commit()

    done = await gql(CHECK_IN, {"id": gid("Rsvp", rsvp.id)}, as_=contact)
    first_time = await _checked_in_at(runtime, rsvp.id)
    again = await gql(CHECK_IN, {"id": gid("Rsvp", rsvp.id)}, as_=contact)
    undone = await gql(CHECK_IN, {"id": gid("Rsvp", rsvp.id), "undo": True}, as_=contact)

    shown = done["data"]["checkIn"]["rsvp"]
    assert shown["convening"]["counts"] == {"attended": 1}
    assert shown["checkedInAt"].endswith(("-05:00", "-04:00"))  # New York time
    assert first_time is not None
    assert again["data"]["checkIn"]["rsvp"]["checkedInAt"] == shown["checkedInAt"]
    assert undone["data"]["checkIn"]["rsvp"]["checkedInAt"] is None
    assert await _checked_in_at(runtime, rsvp.id) is None


async def test_only_admins_and_host_contacts_check_in(session, gql, runtime):
    host = await create_organization(session)
    staff = await create_member(session, host)
    attendee = await create_member(session)
    convening = await create_convening(session, hosts=[host])
    rsvp = await create_rsvp(session, convening, attendee)
    admin = await create_admin(session)
    await session.commit()

    for refused in (staff, attendee):
        body = await gql(CHECK_IN, {"id": gid("Rsvp", rsvp.id)}, as_=refused)
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await _checked_in_at(runtime, rsvp.id) is None
    allowed = await gql(CHECK_IN, {"id": gid("Rsvp", rsvp.id)}, as_=admin)
    assert allowed["data"]["checkIn"]["errors"] == []


async def test_unknown_rsvps_and_cancelled_convenings_are_refused(session, gql, runtime):
    admin = await create_admin(session)
    convening = await create_convening(session, status=ConveningStatus.CANCELLED)
    rsvp = await create_rsvp(session, convening, await create_member(session))
    await session.commit()

    unknown = await gql(CHECK_IN, {"id": gid("Rsvp", 99_999)}, as_=admin)
    cancelled = await gql(CHECK_IN, {"id": gid("Rsvp", rsvp.id)}, as_=admin)

    assert unknown["data"]["checkIn"] == {
        "rsvp": None,
        "errors": [{"field": "rsvpId", "code": "UNKNOWN_RSVP"}],
    }
    assert cancelled["data"]["checkIn"]["errors"] == [
        {"field": "rsvpId", "code": "CONVENING_CANCELLED"}
    ]
    assert await _checked_in_at(runtime, rsvp.id) is None

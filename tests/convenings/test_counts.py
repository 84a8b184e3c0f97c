"""How a convening's RSVPs stand, counted in SQL on the convening's row
(hub/domains/convenings/counts.py): the definition the loader, the compiled read path and the
webhooks' payload share."""

from __future__ import annotations

from hub.domains.convenings.counts import RsvpCounts, counts_by_convening
from hub.infrastructure.models import Convening
from hub.infrastructure.models.base import utcnow
from hub.infrastructure.models.convenings import RsvpStatus
from tests.convenings.factories import create_convening, create_member, create_rsvp
from tests.factories import create_organization


async def test_each_status_is_counted_and_attended_and_organizations_count_only_going(session):
    # Given a convening with RSVPs of every status, from people of two organizations
    convening = await create_convening(session)
    ours, theirs = await create_organization(session), await create_organization(session)
    checked_in = {"checked_in_at": utcnow(), "organization_id": ours.id}
    await create_rsvp(session, convening, await create_member(session, ours), **checked_in)
    going = {"organization_id": ours.id}
    await create_rsvp(session, convening, await create_member(session, ours), **going)
    for status in (RsvpStatus.MAYBE, RsvpStatus.NOT_GOING, RsvpStatus.NOT_GOING):
        elsewhere = {"organization_id": theirs.id}
        await create_rsvp(session, convening, await create_member(session), status, **elsewhere)
    await create_rsvp(
        session, convening, await create_member(session), RsvpStatus.WAITLISTED, waitlist_position=1
    )
    # and another convening that no one answered
    unanswered = await create_convening(session)

    # When both are counted in one statement
    found = await counts_by_convening(session, Convening.id.in_([convening.id, unanswered.id]))

    # Then the RSVPs of the other organization, none GOING, are not represented
    assert found == {
        convening.id: RsvpCounts(
            going=2, maybe=1, waitlisted=1, not_going=2, attended=1, organizations_represented=1
        ),
        unanswered.id: RsvpCounts(),
    }


async def test_only_the_convenings_selected_are_counted(session):
    convening = await create_convening(session)
    await create_rsvp(session, convening, await create_member(session))
    other = await create_convening(session)

    found = await counts_by_convening(session, Convening.id == other.id)

    assert found == {other.id: RsvpCounts()}

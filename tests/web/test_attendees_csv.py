"""`GET /convenings/{id}/attendees.csv`: for admins and host contacts, Spanish names intact."""

from __future__ import annotations

import csv
import io

from hub.models.convenings import AccessibilityNeed, RsvpStatus
from tests.convenings.factories import create_contact, create_convening, create_member, create_rsvp
from tests.factories import create_organization
from tests.graphql.convenings.documents import gid


async def _arrange(session):
    host = await create_organization(session, name="SCOPE")
    contact = await create_contact(session, host)
    delegation = await create_organization(session, name="Boyle Heights Madres en Acción")
    convening = await create_convening(session, hosts=[host], capacity=1)
    going = await create_member(session, delegation, name="Noemí Peña")
    waiting = await create_member(session, delegation, name="Joaquín Muñoz")
    await create_rsvp(
        session,
        convening,
        going,
        organization_id=delegation.id,
        interpretation_language="es",
        accessibility=[AccessibilityNeed.ASL.value, AccessibilityNeed.MOBILITY.value],
        childcare_count=1,
        dietary="Sin gluten",
    )
    await create_rsvp(session, convening, waiting, RsvpStatus.WAITLISTED, waitlist_position=1)
    await session.commit()
    return convening, contact


async def test_a_host_contact_downloads_the_attendee_list(session, gql, http):
    convening, contact = await _arrange(session)

    response = await http.get(
        f"/convenings/{gid('Convening', convening.id)}/attendees.csv",
        headers={"Authorization": f"Bearer {gql.token_for(contact)}"},
    )

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        [
            "person",
            "organization",
            "status",
            "waitlist_position",
            "interpretation_language",
            "accessibility",
            "accessibility_note",
            "childcare_count",
            "dietary",
            "checked_in_at",
        ],
        [
            "Noemí Peña",
            "Boyle Heights Madres en Acción",
            "GOING",
            "",
            "es",
            "ASL;MOBILITY",
            "",
            "1",
            "Sin gluten",
            "",
        ],
        ["Joaquín Muñoz", "", "WAITLISTED", "1", "", "", "", "0", "", ""],
    ]


async def test_others_are_refused(session, gql, http):
    convening, _ = await _arrange(session)
    member = await create_member(session)
    await session.commit()
    url = f"/convenings/{gid('Convening', convening.id)}/attendees.csv"

    anonymous = await http.get(url)
    member_response = await http.get(
        url, headers={"Authorization": f"Bearer {gql.token_for(member)}"}
    )
    unknown = await http.get(
        f"/convenings/{gid('Convening', 99_999)}/attendees.csv",
        headers={"Authorization": f"Bearer {gql.token_for(member)}"},
    )

    assert anonymous.status_code == 401
    assert member_response.status_code == 403
    assert unknown.status_code == 404
    assert "Noemí" not in member_response.text

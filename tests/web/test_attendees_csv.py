"""`GET /convenings/{id}/attendees.csv`: for admins and host contacts, Spanish names intact."""

from __future__ import annotations

import csv
import io

from hub.infrastructure.models.convenings import AccessibilityNeed, RsvpStatus
from tests.convenings.factories import create_contact, create_convening, create_member, create_rsvp
from tests.factories import create_organization
from tests.graphql.convenings.documents import gid


async def _arrange(session):
    host = await create_organization(session, name="SCOPE")
    contact = await create_contact(session, host)
    delegation = await create_organization(session, name="Boyle Heights Madres en Acción")
    convening = await create_convening(session, hosts=[host], capacity=1)
    going = await create_member(
        session, delegation, name="Noemí Peña", email="noemi@example.org", phone="+1 555 0142"
    )
    waiting = await create_member(
        session, delegation, name="Joaquín Muñoz", email="joaquin@example.org"
    )
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
            "email",
            "phone",
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
            "noemi@example.org",
            # A phone's "+" would open a formula: it goes out as text.
            "'+1 555 0142",
        ],
        [
            "Joaquín Muñoz",
            "",
            "WAITLISTED",
            "1",
            "",
            "",
            "",
            "0",
            "",
            "",
            "joaquin@example.org",
            "",
        ],
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


# What a spreadsheet would run (a formula, or one after a tab or carriage return), and what
# the export sends instead: the same text, opened by an apostrophe so it stays text.
FORMULAS = {
    '=HYPERLINK("http://evil.example","x")': '\'=HYPERLINK("http://evil.example","x")',
    "+1 silla de ruedas": "'+1 silla de ruedas",
    "-2+3": "'-2+3",
    "@SUM(A1:A9)": "'@SUM(A1:A9)",
    "\t=1+1": "'\t=1+1",
    "\r=1+1": "'\r=1+1",
    "=cmd|' /C calc'!A0": "'=cmd\\|' /C calc'!A0",
}
# Left as they are: text, and a negative number (which no spreadsheet runs).
PLAIN = {"Sin gluten": "Sin gluten", "-5": "-5", "a = b": "a = b", "": ""}


async def test_every_cell_that_a_spreadsheet_would_run_goes_out_as_text(session, gql, http):
    # Given RSVPs whose notes and names begin like formulas, and some that do not
    host = await create_organization(session, name="SCOPE")
    contact = await create_contact(session, host)
    convening = await create_convening(session, hosts=[host], capacity=100)
    notes = {**FORMULAS, **PLAIN}
    for n, note in enumerate(notes):
        person = await create_member(session, name=f"Person {n:02d}")
        await create_rsvp(session, convening, person, dietary=note, accessibility_note=note)
    named = await create_member(session, name="=1+1 Ana")
    await create_rsvp(session, convening, named, organization_id=None)
    await session.commit()

    # When the host's contact exports the list
    response = await http.get(
        f"/convenings/{gid('Convening', convening.id)}/attendees.csv",
        headers={"Authorization": f"Bearer {gql.token_for(contact)}"},
    )

    # Then each such cell is neutralised, each other cell unchanged, numbers included
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    by_person = {row["person"]: row for row in rows}
    expected = {f"Person {n:02d}": sent for n, sent in enumerate({**FORMULAS, **PLAIN}.values())}
    assert {p: (r["dietary"], r["accessibility_note"]) for p, r in by_person.items()} == {
        **{person: (sent, sent) for person, sent in expected.items()},
        "'=1+1 Ana": ("", ""),
    }
    assert {r["childcare_count"] for r in rows} == {"0"}

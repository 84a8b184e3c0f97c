"""The host's tools over the API, on the real database: messages to the attendees (once each
through the outbox, in their language, delivered through the SendGrid stand-in; a form posted
twice sends once) and walk-ins at the door (checked in at once even when full; a double tap is
one walk-in; bad input changes nothing)."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from hub.delivery.email import preferences
from hub.delivery.email.kinds import MessageKind
from hub.infrastructure.models import Affiliation, AttendeeMessage, Person, Rsvp
from hub.infrastructure.models.base import utcnow
from hub.infrastructure.models.convenings import ConveningStatus, RsvpStatus
from hub.infrastructure.models.directory import Language
from tests.convenings.factories import create_contact, create_convening, create_member, create_rsvp
from tests.factories import create_organization
from tests.graphql.convenings.documents import gid
from tests.infrastructure.outbox import clock, outbox_rows, worker
from tests.infrastructure.sendgrid_standin import sendgrid_standin

__all__ = ["clock", "sendgrid_standin", "worker"]

MESSAGE = """
mutation ($input: MessageAttendeesInput!) {
  messageAttendees(input: $input) {
    message { id audience subject recipientCount sentBy { name } }
    errors { field code }
  }
}"""
WALK_IN = """
mutation ($input: RegisterWalkInInput!) {
  registerWalkIn(input: $input) {
    rsvp { id status walkIn walkInOrganization checkedInAt person { name } organization { name } }
    errors { field code }
  }
}"""
SENT = """
query ($id: ID!) { node(id: $id) { ... on Convening { messages { subject recipientCount } } } }"""


async def _hosted(session, capacity: int | None = None):
    host = await create_organization(session, name="SCOPE")
    contact = await create_contact(session, host)
    convening = await create_convening(session, hosts=[host], capacity=capacity)
    return host, contact, convening


async def _count(runtime, model, *where) -> int:
    async with runtime.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model).where(*where)))


async def test_a_message_goes_once_to_each_of_those_going_in_their_language(
    session, runtime, gql, worker, sendgrid_standin
):
    # Given two GOING (one reads Spanish), one WAITLISTED and one NOT_GOING
    _, contact, convening = await _hosted(session)
    ana = await create_member(session, name="Ana Alvarez", email="ana@example.org")
    noemi = await create_member(
        session, name="Noemí Peña", email="noemi@example.org", preferred_language=Language.ES
    )
    waiting = await create_member(session, email="waiting@example.org")
    gone = await create_member(session, email="gone@example.org")
    await create_rsvp(session, convening, ana)
    await create_rsvp(session, convening, noemi)
    await create_rsvp(session, convening, waiting, RsvpStatus.WAITLISTED, waitlist_position=1)
    await create_rsvp(session, convening, gone, RsvpStatus.NOT_GOING)
    await session.commit()
    given = {
        "conveningId": gid("Convening", convening.id),
        "audience": "GOING",
        "subject": "Parking",
        "text": "Park behind the hall.",
        "subjectEs": "Estacionamiento",
        "textEs": "Estacione detrás del salón.",
        "key": "form-1",
    }

    # When the host's contact sends it, and the form is posted twice more at once
    first = await gql(MESSAGE, {"input": given}, as_=contact)
    again = await asyncio.gather(
        gql(MESSAGE, {"input": given}, as_=contact), gql(MESSAGE, {"input": given}, as_=contact)
    )
    await worker.drain()

    # Then one message was stored, one email each for those going, in their language
    sent = first["data"]["messageAttendees"]
    assert sent["errors"] == []
    assert sent["message"]["recipientCount"] == 2
    assert sent["message"]["sentBy"]["name"] == contact.name
    assert [a["data"]["messageAttendees"]["message"]["id"] for a in again] == [
        sent["message"]["id"]
    ] * 2
    assert await _count(runtime, AttendeeMessage) == 1
    rows = await outbox_rows(runtime, kind=MessageKind.HOST_MESSAGE)
    assert sorted(r.recipient_address for r in rows) == ["ana@example.org", "noemi@example.org"]
    delivered = {r.to: r for r in sendgrid_standin.requests}
    assert set(delivered) == {"ana@example.org", "noemi@example.org"}
    assert delivered["ana@example.org"].subject == "Parking"
    assert "Park behind the hall." in delivered["ana@example.org"].body["content"][0]["value"]
    assert delivered["noemi@example.org"].subject == "Estacionamiento"
    assert "SCOPE escribe" in delivered["noemi@example.org"].body["content"][0]["value"]
    # And the sent list shows it
    listed = await gql(SENT, {"id": gid("Convening", convening.id)}, as_=contact)
    assert listed["data"]["node"]["messages"] == [{"subject": "Parking", "recipientCount": 2}]


async def test_a_message_to_all_reaches_the_waitlist_too(session, runtime, gql):
    _, contact, convening = await _hosted(session)
    going, waiting = await create_member(session), await create_member(session)
    await create_rsvp(session, convening, going)
    await create_rsvp(session, convening, waiting, RsvpStatus.WAITLISTED, waitlist_position=1)
    await session.commit()
    given = {
        "conveningId": gid("Convening", convening.id),
        "audience": "ALL",
        "subject": "Update",
        "text": "Doors at 9.",
        "key": "k",
    }

    body = await gql(MESSAGE, {"input": given}, as_=contact)

    assert body["data"]["messageAttendees"]["message"]["recipientCount"] == 2
    rows = await outbox_rows(runtime, kind=MessageKind.HOST_MESSAGE)
    assert sorted(r.recipient_address for r in rows) == sorted([going.email, waiting.email])


async def test_a_bad_message_is_refused_with_each_fields_code_and_sends_nothing(
    session, runtime, gql
):
    _, contact, convening = await _hosted(session)
    await create_rsvp(session, convening, await create_member(session))
    await session.commit()
    base = {"conveningId": gid("Convening", convening.id), "audience": "GOING", "key": "k"}
    cases = [
        ({"subject": " ", "text": ""}, [("subject", "REQUIRED"), ("text", "REQUIRED")]),
        ({"subject": "x" * 201, "text": "t"}, [("subject", "TOO_LONG")]),
        ({"subject": "s", "text": "t", "subjectEs": "Hola"}, [("textEs", "REQUIRED")]),
        ({"subject": "s", "text": "t", "key": ""}, [("key", "FORM_KEY_REQUIRED")]),
    ]
    for typed, expected in cases:
        body = await gql(MESSAGE, {"input": {**base, **typed}}, as_=contact)
        payload = body["data"]["messageAttendees"]
        assert payload["message"] is None
        assert [(e["field"], e["code"]) for e in payload["errors"]] == expected
    assert await _count(runtime, AttendeeMessage) == 0
    assert await outbox_rows(runtime, kind=MessageKind.HOST_MESSAGE) == []


async def test_walk_ins_are_checked_in_at_once_even_when_the_convening_is_full(
    session, runtime, gql
):
    # Given a full convening (one place, taken) and a directory person who did not answer
    _, contact, convening = await _hosted(session, capacity=1)
    await create_rsvp(session, convening, await create_member(session))
    known = await create_member(session, name="Rosa Díaz")
    await session.commit()
    convening_id = gid("Convening", convening.id)

    # When the door registers the known person, and a new one for an organization typed with
    # other accents and case, and another for an organization not in the directory
    existing = await gql(
        WALK_IN,
        {"input": {"conveningId": convening_id, "key": "a", "personId": gid("Person", known.id)}},
        as_=contact,
    )
    new = await gql(
        WALK_IN,
        {
            "input": {
                "conveningId": convening_id,
                "key": "b",
                "name": "Tomás Reyes",
                "organizationName": "scope",
            }
        },
        as_=contact,
    )
    typed = await gql(
        WALK_IN,
        {
            "input": {
                "conveningId": convening_id,
                "key": "c",
                "name": "Lía Soto",
                "email": "lia@example.org",
                "organizationName": "Vecinos Unidos",
            }
        },
        as_=contact,
    )

    # Then each is GOING, checked in and marked a walk-in, past capacity
    rsvps = [b["data"]["registerWalkIn"]["rsvp"] for b in (existing, new, typed)]
    assert [(r["person"]["name"], r["status"], r["walkIn"]) for r in rsvps] == [
        ("Rosa Díaz", "GOING", True),
        ("Tomás Reyes", "GOING", True),
        ("Lía Soto", "GOING", True),
    ]
    assert all(r["checkedInAt"] for r in rsvps)
    assert rsvps[1]["organization"] == {"name": "SCOPE"}
    assert (rsvps[2]["organization"], rsvps[2]["walkInOrganization"]) == (None, "Vecinos Unidos")
    going = Rsvp.convening_id == convening.id, Rsvp.status == RsvpStatus.GOING
    assert await _count(runtime, Rsvp, *going) == 4
    async with runtime.sessions() as fresh:
        from hub.infrastructure.models import Convening

        assert (await fresh.get(Convening, convening.id)).going_count == 4  # type: ignore[union-attr]
    # And a new person is a guest, with no affiliation: no member rights from the door
    guests = Person.name.in_(["Tomás Reyes", "Lía Soto"]), Person.is_guest.is_(True)
    assert await _count(runtime, Person, *guests) == 2
    assert (
        await _count(
            runtime, Affiliation, Affiliation.person_id.in_(select(Person.id).where(*guests))
        )
        == 0
    )
    async with runtime.sessions() as fresh:
        lia = await fresh.scalar(select(Person).where(Person.name == "Lía Soto"))
        assert (lia.email, lia.guest_organization_name) == ("lia@example.org", "Vecinos Unidos")


async def test_a_double_tap_registers_one_walk_in(session, runtime, gql):
    _, contact, convening = await _hosted(session)
    await session.commit()
    given = {"conveningId": gid("Convening", convening.id), "key": "tap", "name": "Eva Luna"}

    answers = await asyncio.gather(*(gql(WALK_IN, {"input": given}, as_=contact) for _ in range(3)))

    ids = {a["data"]["registerWalkIn"]["rsvp"]["id"] for a in answers}
    assert len(ids) == 1
    assert await _count(runtime, Person, Person.name == "Eva Luna") == 1
    assert await _count(runtime, Rsvp, Rsvp.convening_id == convening.id) == 1


async def test_a_bad_walk_in_is_refused_and_changes_nothing(session, runtime, gql):
    _, contact, convening = await _hosted(session)
    taken = await create_member(session, email="taken@example.org")
    await session.commit()
    base = {"conveningId": gid("Convening", convening.id), "key": "k"}
    cases = [
        ({"name": " "}, [("name", "REQUIRED")]),
        ({"name": "Ana", "email": "not-an-email"}, [("email", "INVALID_EMAIL")]),
        ({"name": "Ana", "email": "TAKEN@example.org"}, [("email", "DUPLICATE_EMAIL")]),
        ({"personId": gid("Person", 99_999)}, [("personId", "UNKNOWN_PERSON")]),
        (
            {"name": "Ana", "organizationId": gid("Organization", 99_999)},
            [("organizationId", "UNKNOWN_ORGANIZATION")],
        ),
        ({"name": "Ana", "key": ""}, [("key", "FORM_KEY_REQUIRED")]),
    ]
    people = await _count(runtime, Person)
    for typed, expected in cases:
        body = await gql(WALK_IN, {"input": {**base, **typed}}, as_=contact)
        payload = body["data"]["registerWalkIn"]
        assert payload["rsvp"] is None, typed
        assert [(e["field"], e["code"]) for e in payload["errors"]] == expected
    assert await _count(runtime, Person) == people
    assert await _count(runtime, Rsvp) == 0
    assert taken.email == "taken@example.org"


async def test_a_cancelled_convening_takes_no_message_nor_walk_in(session, runtime, gql):
    _, contact, convening = await _hosted(session)
    await create_rsvp(session, convening, await create_member(session))
    convening.status = ConveningStatus.CANCELLED
    await session.commit()
    convening_id = gid("Convening", convening.id)
    message = {"conveningId": convening_id, "audience": "ALL", "subject": "s", "text": "t"}

    sent = await gql(MESSAGE, {"input": {**message, "key": "k"}}, as_=contact)
    walked = await gql(
        WALK_IN, {"input": {"conveningId": convening_id, "key": "k", "name": "Eve"}}, as_=contact
    )

    assert sent["data"]["messageAttendees"]["errors"] == [
        {"field": "conveningId", "code": "CONVENING_CANCELLED"}
    ]
    assert walked["data"]["registerWalkIn"]["errors"] == [
        {"field": "conveningId", "code": "CONVENING_CANCELLED"}
    ]
    assert await _count(runtime, AttendeeMessage) == 0
    assert await _count(runtime, Person, Person.name == "Eve") == 0
    assert await outbox_rows(runtime, kind=MessageKind.HOST_MESSAGE) == []


async def test_a_message_carries_its_unsubscribe_and_skips_who_turned_hosts_off(
    session, runtime, gql, worker, sendgrid_standin
):
    # Given two going, one of whom turned off messages from hosts
    _, contact, convening = await _hosted(session)
    ana = await create_member(session, email="ana@example.org")
    ben = await create_member(session, email="ben@example.org")
    await create_rsvp(session, convening, ana)
    await create_rsvp(session, convening, ben)
    await preferences.stop(session, ben.id, [preferences.EmailCategory.HOST_MESSAGES])
    await session.commit()
    given = {
        "conveningId": gid("Convening", convening.id),
        "audience": "GOING",
        "subject": "Parking",
        "text": "Behind the hall.",
        "key": "k",
    }

    # When the host writes to those going
    body = await gql(MESSAGE, {"input": given}, as_=contact)
    await worker.drain()

    # Then only Ana is a recipient, and her email carries the one-click unsubscribe
    assert body["data"]["messageAttendees"]["message"]["recipientCount"] == 1
    (delivered,) = sendgrid_standin.requests
    assert delivered.to == "ana@example.org"
    headers = delivered.body["headers"]
    assert headers["List-Unsubscribe"].startswith("<http://hub.test/unsubscribe/")
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "messages from hosts" in delivered.body["content"][0]["value"]


async def test_an_archived_organization_is_not_picked_by_its_typed_name(session, runtime, gql):
    _, contact, convening = await _hosted(session)
    await create_organization(session, name="Old Group", archived_at=utcnow())
    await session.commit()
    given = {
        "conveningId": gid("Convening", convening.id),
        "key": "k",
        "name": "Ida Cruz",
        "organizationName": "OLD GROUP",
    }

    body = await gql(WALK_IN, {"input": given}, as_=contact)

    rsvp = body["data"]["registerWalkIn"]["rsvp"]
    assert (rsvp["organization"], rsvp["walkInOrganization"]) == (None, "OLD GROUP")


async def test_no_address_under_invalid_is_shown_nor_written_to(session, runtime, gql, http):
    # Given a walk-in who gave no email and a person since removed from the directory
    _, contact, convening = await _hosted(session)
    removed = await create_member(
        session, name="Former member", email="former-member-1@removed.invalid"
    )
    await create_rsvp(session, convening, removed)
    await session.commit()
    convening_id = gid("Convening", convening.id)
    await gql(
        WALK_IN, {"input": {"conveningId": convening_id, "key": "k", "name": "Ida"}}, as_=contact
    )

    # When the host reads the list, exports it and writes to everyone going
    read = await gql(
        "query ($id: ID!) { node(id: $id) { ... on Convening { rsvps(first: 10) "
        "{ edges { node { email } } } } } }",
        {"id": convening_id},
        as_=contact,
    )
    exported = await http.get(
        f"/convenings/{convening_id}/attendees.csv",
        headers={"Authorization": f"Bearer {gql.token_for(contact)}"},
    )
    message = {"conveningId": convening_id, "audience": "GOING", "subject": "s", "text": "t"}
    sent = await gql(MESSAGE, {"input": {**message, "key": "m"}}, as_=contact)

    # Then no stand-in address shows, and no email is queued to one
    assert [e["node"]["email"] for e in read["data"]["node"]["rsvps"]["edges"]] == [None, None]
    assert ".invalid" not in exported.text
    assert sent["data"]["messageAttendees"]["message"]["recipientCount"] == 0
    assert await outbox_rows(runtime, kind=MessageKind.HOST_MESSAGE) == []

"""Answering, changing the answer, delegations, needs, and the waitlist moving up in order."""

from __future__ import annotations

from typing import Any

from hub.infrastructure.models import Convening, Person
from hub.infrastructure.models.convenings import RsvpStatus
from tests.convenings.factories import (
    create_contact,
    create_convening,
    create_member,
    create_rsvp,
    create_waitlist,
)
from tests.factories import create_organization
from tests.graphql.convenings.documents import CANCEL_RSVP, RSVP, gid, rsvp_input, stored

UPDATE_CAPACITY = """
mutation ($id: ID!, $capacity: Int) {
  updateConvening(input: {id: $id, capacity: $capacity}) {
    convening { capacity counts { going waitlisted } }
    errors { code }
  }
}
"""


async def _answer(
    gql: Any, convening: Convening, person: Person, status: str = "GOING", **fields: Any
) -> dict:
    body = await gql(RSVP, rsvp_input(convening, status, **fields), as_=person)
    assert "errors" not in body, body
    assert body["data"]["rsvp"]["errors"] == []
    return body["data"]["rsvp"]["rsvp"]


async def test_answering_again_changes_the_one_answer(session, gql, runtime):
    # Given a member of one organization and a convening
    organization = await create_organization(session, name="InnerCity Struggle")
    person = await create_member(session, organization, name="Noemí Peña")
    convening = await create_convening(session)
    await session.commit()

    # When they answer GOING with needs, then MAYBE without needs
    first = await _answer(
        gql,
        convening,
        person,
        needs={
            "interpretationLanguage": "es",
            "accessibility": ["ASL", "ASL"],
            "childcareCount": 2,
        },
    )
    second = await _answer(gql, convening, person, "MAYBE")

    # Then one RSVP changed its status, kept its needs and represents their only organization
    assert second["id"] == first["id"]
    assert (first["status"], second["status"]) == ("GOING", "MAYBE")
    assert second["organization"] == {"name": "InnerCity Struggle"}
    assert second["needs"] == {
        "interpretationLanguage": "es",
        "accessibility": ["ASL"],
        "accessibilityNote": "",
        "childcareCount": 2,
        "dietary": "",
    }
    assert (await stored(runtime, convening.id)).rsvps == [(person.id, "MAYBE", None)]
    assert (await stored(runtime, convening.id)).going_count == 0


async def test_a_contact_answers_for_their_delegation(session, gql, runtime):
    organization = await create_organization(session, name="SCOPE")
    contact = await create_contact(session, organization)
    delegate = await create_member(session, organization, name="José Muñoz")
    convening = await create_convening(session)
    await session.commit()

    rsvp = await _answer(
        gql,
        convening,
        contact,
        personId=gid("Person", delegate.id),
        organizationId=gid("Organization", organization.id),
        needs={"dietary": "vegetariano"},
    )

    assert rsvp["person"] == {"name": "José Muñoz"}
    assert rsvp["organization"] == {"name": "SCOPE"}
    assert rsvp["status"] == "GOING"
    # The contact answered, but needs stay private to the person, hosts and admins.
    assert rsvp["needs"] is None
    assert (await stored(runtime, convening.id)).rsvps == [(delegate.id, "GOING", None)]


async def test_going_to_a_full_convening_waits_in_line(session, gql, runtime):
    convening = await create_convening(session, capacity=1)
    people = [await create_member(session) for _ in range(3)]
    await session.commit()

    answers = [await _answer(gql, convening, p) for p in people]

    assert [(a["status"], a["waitlistPosition"]) for a in answers] == [
        ("GOING", None),
        ("WAITLISTED", 1),
        ("WAITLISTED", 2),
    ]
    # Answering GOING again keeps one's place in line.
    again = await _answer(gql, convening, people[2])
    assert (again["status"], again["waitlistPosition"]) == ("WAITLISTED", 2)


async def test_not_going_frees_the_place_for_the_first_in_line(session, gql, runtime):
    convening = await create_convening(session, capacity=1)
    going, first, second = [await create_member(session) for _ in range(3)]
    await create_rsvp(session, convening, going)
    await create_rsvp(session, convening, first, RsvpStatus.WAITLISTED, waitlist_position=1)
    await create_rsvp(session, convening, second, RsvpStatus.WAITLISTED, waitlist_position=2)
    await session.commit()

    await _answer(gql, convening, going, "NOT_GOING")

    after = await stored(runtime, convening.id)
    assert after.going_count == 1
    assert after.status_of(first.id) == "GOING"
    assert after.waitlist == [(second.id, 1)]


async def test_leaving_the_waitlist_closes_the_gap(session, gql, runtime):
    convening = await create_convening(session, capacity=0)
    people = await create_waitlist(session, convening, 3)
    await session.commit()

    await _answer(gql, convening, people[0], "MAYBE")

    assert (await stored(runtime, convening.id)).waitlist == [(people[1].id, 1), (people[2].id, 2)]


async def test_cancelling_promotes_exactly_the_first_in_line(session, gql, runtime):
    convening = await create_convening(session, capacity=2)
    going = [await create_member(session) for _ in range(2)]
    rsvps = [await create_rsvp(session, convening, p) for p in going]
    waiting = await create_waitlist(session, convening, 3)
    await session.commit()

    body = await gql(CANCEL_RSVP, {"id": gid("Rsvp", rsvps[0].id)}, as_=going[0])

    assert body["data"]["cancelRsvp"] == {
        "rsvp": {"id": gid("Rsvp", rsvps[0].id), "status": "NOT_GOING", "waitlistPosition": None},
        "errors": [],
    }
    after = await stored(runtime, convening.id)
    assert after.going_count == 2
    assert [after.status_of(p.id) for p in waiting] == ["GOING", "WAITLISTED", "WAITLISTED"]
    assert after.waitlist == [(waiting[1].id, 1), (waiting[2].id, 2)]


async def test_someone_else_cannot_cancel_your_rsvp(session, gql, runtime):
    convening = await create_convening(session)
    person, other = await create_member(session), await create_member(session)
    rsvp = await create_rsvp(session, convening, person)
    await session.commit()
    before = await stored(runtime, convening.id)

    body = await gql(CANCEL_RSVP, {"id": gid("Rsvp", rsvp.id)}, as_=other)

    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await stored(runtime, convening.id) == before


async def test_raising_capacity_promotes_in_order(session, gql, runtime):
    host = await create_organization(session)
    contact = await create_contact(session, host)
    convening = await create_convening(session, hosts=[host], capacity=1)
    await create_rsvp(session, convening, await create_member(session))
    waiting = await create_waitlist(session, convening, 3)
    await session.commit()

    body = await gql(
        UPDATE_CAPACITY, {"id": gid("Convening", convening.id), "capacity": 3}, as_=contact
    )

    assert body["data"]["updateConvening"] == {
        "convening": {"capacity": 3, "counts": {"going": 3, "waitlisted": 1}},
        "errors": [],
    }
    after = await stored(runtime, convening.id)
    assert [after.status_of(p.id) for p in waiting] == ["GOING", "GOING", "WAITLISTED"]
    assert after.waitlist == [(waiting[2].id, 1)]
    assert after.sequence == 0  # capacity is not a material change for calendars

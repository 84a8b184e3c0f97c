"""Every rule on answering a convening: the exact payload error, and that nothing changed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from hub.infrastructure.models import Convening, Organization, Person
from hub.infrastructure.models.base import utcnow
from hub.infrastructure.models.convenings import ConveningStatus, RsvpStatus, Visibility
from tests.convenings.factories import create_contact, create_convening, create_member, create_rsvp
from tests.factories import create_organization, create_person
from tests.graphql.convenings.documents import RSVP, gid, rsvp_input, stored


@dataclass
class World:
    host: Organization
    delegation: Organization
    contact: Person  # a contact of `delegation`
    colleague: Person  # a plain member of `delegation`
    outsider: Person  # affiliated elsewhere
    convening: Convening


@pytest.fixture
async def world(session: Any) -> World:
    host = await create_organization(session, name="SCOPE")
    delegation = await create_organization(session, name="Oakland Rising")
    contact = await create_contact(session, delegation)
    colleague = await create_member(session, delegation)
    outsider = await create_member(session)
    convening = await create_convening(session, hosts=[host], capacity=10, delegate_limit=2)
    first = await create_member(session, delegation)
    await create_rsvp(session, convening, first, organization_id=delegation.id)
    await session.commit()
    return World(host, delegation, contact, colleague, outsider, convening)


async def _refused(gql: Any, runtime: Any, world: World, actor: Person, **fields: Any) -> dict:
    before = await stored(runtime, world.convening.id)
    body = await gql(RSVP, rsvp_input(world.convening, **fields), as_=actor)
    assert "errors" not in body, body
    assert body["data"]["rsvp"]["rsvp"] is None
    assert await stored(runtime, world.convening.id) == before
    (error,) = body["data"]["rsvp"]["errors"]
    return error


async def _change(session: Any, convening: Convening, **values: Any) -> None:
    for name, value in values.items():
        setattr(convening, name, value)
    session.add(convening)
    await session.commit()


async def test_no_rsvp_after_the_deadline(session, gql, runtime, world):
    await _change(session, world.convening, rsvp_deadline=utcnow() - timedelta(hours=1))

    error = await _refused(gql, runtime, world, world.contact)

    assert (error["code"], error["field"]) == ("DEADLINE_PASSED", "conveningId")


async def test_no_rsvp_to_a_cancelled_convening(session, gql, runtime, world):
    await _change(session, world.convening, status=ConveningStatus.CANCELLED)

    error = await _refused(gql, runtime, world, world.contact, status="MAYBE")

    assert error["code"] == "CONVENING_CANCELLED"


async def test_no_rsvp_to_a_past_convening(session, gql, runtime, world):
    start = utcnow() - timedelta(days=1)
    await _change(session, world.convening, starts_at=start, ends_at=start + timedelta(hours=2))

    error = await _refused(gql, runtime, world, world.contact)

    assert error["code"] == "CONVENING_PAST"


async def test_no_rsvp_for_someone_outside_your_organization(gql, runtime, world):
    error = await _refused(
        gql,
        runtime,
        world,
        world.contact,
        personId=gid("Person", world.outsider.id),
        organizationId=gid("Organization", world.delegation.id),
    )

    assert (error["code"], error["field"]) == ("OUTSIDE_ORGANIZATION", "personId")


async def test_a_plain_member_cannot_answer_for_a_colleague(gql, runtime, world):
    error = await _refused(
        gql,
        runtime,
        world,
        world.colleague,
        personId=gid("Person", world.contact.id),
        organizationId=gid("Organization", world.delegation.id),
    )

    assert (error["code"], error["field"]) == ("NOT_A_CONTACT", "organizationId")


async def test_answering_for_someone_else_names_the_organization(gql, runtime, world):
    error = await _refused(
        gql, runtime, world, world.contact, personId=gid("Person", world.colleague.id)
    )

    assert (error["code"], error["field"]) == ("ORGANIZATION_REQUIRED", "organizationId")


async def test_you_cannot_represent_an_organization_you_are_not_in(gql, runtime, world):
    error = await _refused(
        gql, runtime, world, world.outsider, organizationId=gid("Organization", world.host.id)
    )

    assert (error["code"], error["field"]) == ("OUTSIDE_ORGANIZATION", "organizationId")


async def test_interpretation_only_into_languages_offered(gql, runtime, world):
    error = await _refused(
        gql, runtime, world, world.contact, needs={"interpretationLanguage": "tl"}
    )

    assert (error["code"], error["field"]) == (
        "INTERPRETATION_NOT_OFFERED",
        "needs.interpretationLanguage",
    )


async def test_childcare_cannot_be_negative(gql, runtime, world):
    error = await _refused(gql, runtime, world, world.contact, needs={"childcareCount": -1})

    assert error["code"] == "NEGATIVE_CHILDCARE"


async def test_the_delegate_limit_refuses_one_more(session, gql, runtime, world):
    # Given the delegation already sends one of its two (a second waits on the waitlist)
    second = await create_member(session, world.delegation)
    await create_rsvp(
        session,
        world.convening,
        second,
        RsvpStatus.WAITLISTED,
        organization_id=world.delegation.id,
        waitlist_position=1,
    )
    await session.commit()

    error = await _refused(gql, runtime, world, world.contact)

    assert (error["code"], error["field"]) == ("DELEGATE_LIMIT_REACHED", "personId")
    assert "2" in error["message"]


async def test_the_delegate_limit_still_lets_the_delegation_say_maybe(gql, runtime, world):
    # MAYBE holds no place, so it does not count against the limit.
    body = await gql(RSVP, rsvp_input(world.convening, "MAYBE"), as_=world.contact)

    assert body["data"]["rsvp"]["errors"] == []
    assert body["data"]["rsvp"]["rsvp"]["status"] == "MAYBE"


async def test_a_convening_you_may_not_see_is_unknown(session, gql, runtime, world):
    await _change(session, world.convening, visibility=Visibility.COMMITTEE)

    error = await _refused(gql, runtime, world, world.contact)

    assert (error["code"], error["field"]) == ("UNKNOWN_CONVENING", "conveningId")


async def test_unknown_ids_are_payload_errors(gql, runtime, world):
    unknown_person = await _refused(
        gql,
        runtime,
        world,
        world.contact,
        personId=gid("Person", 99_999),
        organizationId=gid("Organization", world.delegation.id),
    )
    unknown_org = await _refused(
        gql, runtime, world, world.contact, organizationId=gid("Organization", 99_999)
    )
    malformed = await gql(
        RSVP, {"input": {"conveningId": "nonsense", "status": "GOING"}}, as_=world.contact
    )

    assert unknown_person["code"] == "UNKNOWN_PERSON"
    assert unknown_org["code"] == "UNKNOWN_ORGANIZATION"
    assert malformed["data"]["rsvp"]["errors"][0]["code"] == "UNKNOWN_CONVENING"


async def test_an_anonymous_caller_must_sign_in(gql, runtime, world):
    before = await stored(runtime, world.convening.id)

    body = await gql(RSVP, rsvp_input(world.convening))

    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await stored(runtime, world.convening.id) == before


async def test_a_person_outside_the_alliance_cannot_see_a_members_convening(
    session, gql, runtime, world
):
    stranger = await create_person(session)
    await session.commit()

    error = await _refused(gql, runtime, world, stranger)

    assert error["code"] == "UNKNOWN_CONVENING"

"""Guests answer PUBLIC convenings through the API, signed out: nothing counts until the
emailed link confirms; the same email twice is one answer; a convening that is not PUBLIC is
refused as one that does not exist; a confirmed guest is a person without member rights."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select, update

from hub.domains.guests.rsvps import PER_EMAIL_PER_HOUR
from hub.infrastructure.models import Convening, GuestRsvpRequest, OutboxMessage, Person, Rsvp
from hub.infrastructure.models.base import utcnow
from hub.infrastructure.models.convenings import RsvpStatus, Visibility
from hub.interfaces.graphql.node import to_global_id
from tests.convenings.factories import create_convening, create_member, create_rsvp
from tests.factories import create_admin, create_organization

REQUEST = """
mutation ($input: RequestGuestRsvpInput!) {
  requestGuestRsvp(input: $input) { sent errors { field code } }
}"""
CONFIRM = """
mutation ($token: String!) {
  confirmGuestRsvp(input: {token: $token}) {
    convening { title counts { going waitlisted } }
    status waitlistPosition errors { field code }
  }
}"""
COUNTS = "query ($id: ID!) { node(id: $id) { ... on Convening { counts { going waitlisted } } } }"


def answer(convening: Convening, **overrides: Any) -> dict[str, Any]:
    return {
        "conveningId": to_global_id("Convening", convening.id),
        "name": "Lupe Guest",
        "email": "Lupe@Example.org",
        "organizationName": "Barrio Unido",
        "preferredLanguage": "ES",
        "needs": {"interpretationLanguage": "es", "childcareCount": 1, "dietary": "vegan"},
        **overrides,
    }


async def public(session: Any, **overrides: Any) -> Convening:
    convening = await create_convening(
        session, title="Town hall", visibility=Visibility.PUBLIC, **overrides
    )
    await session.commit()
    return convening


async def links(runtime: Any, email: str = "lupe@example.org") -> list[str]:
    async with runtime.sessions() as session:
        rows = await session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.kind == "guest_rsvp_confirm")
            .where(OutboxMessage.recipient_address == email)
            .order_by(OutboxMessage.id)
        )
        return [row.payload["link"].split("token=")[1] for row in rows]


async def count(runtime: Any, model: Any) -> int:
    async with runtime.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_a_guest_answer_counts_only_once_confirmed(session, runtime, gql):
    # Given a PUBLIC convening
    convening = await public(session)
    # When a signed-out caller answers as a guest
    body = await gql(REQUEST, {"input": answer(convening)})
    assert body["data"]["requestGuestRsvp"] == {"sent": True, "errors": []}
    # Then a link is on its way in Spanish, and nothing counts yet
    (token,) = await links(runtime)
    async with runtime.sessions() as check:
        (sent,) = await check.scalars(select(OutboxMessage))
        assert (sent.language, sent.recipient_person_id) == ("es", None)
        stored = await check.scalar(select(GuestRsvpRequest.token_hash))
    assert token not in stored  # only its hash is kept
    assert (await count(runtime, Rsvp), await count(runtime, Person)) == (0, 0)
    counts = await gql.data(COUNTS, {"id": to_global_id("Convening", convening.id)})
    assert counts["node"]["counts"] == {"going": 0, "waitlisted": 0}
    # When the link is confirmed, twice
    first = (await gql(CONFIRM, {"token": token}))["data"]["confirmGuestRsvp"]
    second = (await gql(CONFIRM, {"token": token}))["data"]["confirmGuestRsvp"]
    # Then the guest is GOING once, and counted once
    expected = {
        "convening": {"title": "Town hall", "counts": {"going": 1, "waitlisted": 0}},
        "status": "GOING",
        "waitlistPosition": None,
        "errors": [],
    }
    assert first == second == expected
    async with runtime.sessions() as check:
        (guest,) = await check.scalars(select(Person))
        (rsvp,) = await check.scalars(select(Rsvp))
    assert (guest.name, guest.email, guest.is_guest) == ("Lupe Guest", "lupe@example.org", True)
    assert (guest.guest_organization_name, guest.is_admin) == ("Barrio Unido", False)
    assert (rsvp.person_id, rsvp.organization_id, rsvp.status) == (guest.id, None, "GOING")
    assert (rsvp.interpretation_language, rsvp.childcare_count, rsvp.dietary) == ("es", 1, "vegan")


async def test_an_unconfirmed_guest_takes_no_place(session, runtime, gql):
    # Given a PUBLIC convening with two places, a guest who has not confirmed yet
    convening = await public(session, capacity=2)
    await gql(REQUEST, {"input": answer(convening)})
    (token,) = await links(runtime)
    # When two members take both places
    async with runtime.sessions() as work:
        held = await work.get_one(Convening, convening.id)
        for _ in range(2):
            await create_rsvp(work, held, await create_member(work))
        await work.commit()
    # Then the guest confirming finds it full: waitlisted, first in line
    confirmed = (await gql(CONFIRM, {"token": token}))["data"]["confirmGuestRsvp"]
    assert (confirmed["status"], confirmed["waitlistPosition"]) == ("WAITLISTED", 1)
    assert confirmed["convening"]["counts"] == {"going": 2, "waitlisted": 1}


async def test_the_same_email_twice_is_one_answer(session, runtime, gql):
    convening = await public(session)
    # When the form is sent twice, the second time with other needs and the email's case changed
    await gql(REQUEST, {"input": answer(convening)})
    changed = answer(convening, email="LUPE@example.org", needs={"dietary": "none"})
    await gql(REQUEST, {"input": changed})
    old, new = await links(runtime)
    # Then the first link no longer works, the second confirms the second answer
    refused = (await gql(CONFIRM, {"token": old}))["data"]["confirmGuestRsvp"]
    assert refused["errors"] == [{"field": "token", "code": "INVALID_TOKEN"}]
    assert (await gql(CONFIRM, {"token": new}))["data"]["confirmGuestRsvp"]["status"] == "GOING"
    async with runtime.sessions() as check:
        (rsvp,) = await check.scalars(select(Rsvp))
    assert rsvp.dietary == "none"
    assert await count(runtime, Person) == 1


async def test_a_form_sent_twice_with_its_key_sends_one_link(session, runtime, gql):
    convening = await public(session)
    for _ in range(2):
        body = await gql(REQUEST, {"input": answer(convening, formKey="form-1")})
        assert body["data"]["requestGuestRsvp"]["sent"] is True
    assert len(await links(runtime)) == 1
    assert await count(runtime, GuestRsvpRequest) == 1


async def test_a_convening_that_is_not_public_is_refused_as_unknown(session, runtime, gql):
    members = await create_convening(session, visibility=Visibility.MEMBERS)
    committee = await create_convening(session, visibility=Visibility.COMMITTEE)
    await session.commit()
    for target in (members, committee):
        body = await gql(REQUEST, {"input": answer(target)})
        assert body["data"]["requestGuestRsvp"] == {
            "sent": False,
            "errors": [{"field": "conveningId", "code": "UNKNOWN_CONVENING"}],
        }
    gone = {**answer(members), "conveningId": to_global_id("Convening", 999_999)}
    assert (await gql(REQUEST, {"input": gone}))["data"]["requestGuestRsvp"]["errors"] == [
        {"field": "conveningId", "code": "UNKNOWN_CONVENING"}
    ]
    assert (await count(runtime, GuestRsvpRequest), await count(runtime, OutboxMessage)) == (0, 0)


async def test_bad_input_gets_each_field_s_error_and_writes_nothing(session, runtime, gql):
    convening = await public(session)
    bad = answer(
        convening,
        name="  ",
        email="not an email",
        organizationName="x" * 201,
        needs={"interpretationLanguage": "fr", "childcareCount": -1},
    )
    body = await gql(REQUEST, {"input": bad})
    assert body["data"]["requestGuestRsvp"] == {
        "sent": False,
        "errors": [
            {"field": "name", "code": "REQUIRED"},
            {"field": "email", "code": "INVALID_EMAIL"},
            {"field": "needs.interpretationLanguage", "code": "INTERPRETATION_NOT_OFFERED"},
            {"field": "needs.childcareCount", "code": "NEGATIVE_CHILDCARE"},
            {"field": "organizationName", "code": "TOO_LONG"},
        ],
    }
    assert (await count(runtime, GuestRsvpRequest), await count(runtime, OutboxMessage)) == (0, 0)


async def test_an_email_may_ask_a_few_times_an_hour(session, runtime, gql):
    convening = await public(session)
    for _ in range(PER_EMAIL_PER_HOUR):
        assert (await gql(REQUEST, {"input": answer(convening)}))["data"]["requestGuestRsvp"][
            "sent"
        ]
    body = await gql(REQUEST, {"input": answer(convening)})
    assert body["data"]["requestGuestRsvp"]["errors"] == [
        {"field": "email", "code": "GUEST_RATE_LIMITED"}
    ]
    assert len(await links(runtime)) == PER_EMAIL_PER_HOUR


async def test_an_expired_or_forged_link_is_refused(session, runtime, gql):
    convening = await public(session)
    await gql(REQUEST, {"input": answer(convening)})
    (token,) = await links(runtime)
    async with runtime.sessions() as work:
        past = utcnow() - timedelta(seconds=1)
        await work.execute(update(GuestRsvpRequest).values(expires_at=past))
        await work.commit()
    for tried in (token, "forged", "x" * 500):
        refused = (await gql(CONFIRM, {"token": tried}))["data"]["confirmGuestRsvp"]
        assert refused == {
            "convening": None,
            "status": None,
            "waitlistPosition": None,
            "errors": [{"field": "token", "code": "INVALID_TOKEN"}],
        }
    assert (await count(runtime, Rsvp), await count(runtime, Person)) == (0, 0)


async def test_a_known_email_s_answer_is_theirs_and_reveals_nothing(session, runtime, gql):
    # Given a member with this email, whose record says more than the guest form
    organization = await create_organization(session, name="SCOPE")
    member = await create_member(session, organization, name="Lupe Real", email="lupe@example.org")
    convening = await public(session)
    # When someone answers as a guest with their email
    body = await gql(REQUEST, {"input": answer(convening)})
    # Then the answer is the same as for an unknown email, and only a link goes
    assert body["data"]["requestGuestRsvp"] == {"sent": True, "errors": []}
    assert await count(runtime, Rsvp) == 0
    (token,) = await links(runtime)
    # When the link is confirmed: the member's own RSVP, for their organization
    confirmed = (await gql(CONFIRM, {"token": token}))["data"]["confirmGuestRsvp"]
    assert confirmed["status"] == "GOING"
    assert set(confirmed) == {"convening", "status", "waitlistPosition", "errors"}
    async with runtime.sessions() as check:
        (person,) = await check.scalars(select(Person))
        (rsvp,) = await check.scalars(select(Rsvp))
    assert (person.id, person.name, person.is_guest) == (member.id, "Lupe Real", False)
    assert (rsvp.person_id, rsvp.organization_id) == (member.id, organization.id)


async def test_a_guest_is_seen_apart_and_has_no_member_rights(session, runtime, gql):
    # Given a confirmed guest and a MEMBERS convening
    convening = await public(session)
    hidden = await create_convening(session, title="Members only", visibility=Visibility.MEMBERS)
    admin = await create_admin(session)
    await session.commit()
    await gql(REQUEST, {"input": answer(convening)})
    (token,) = await links(runtime)
    await gql(CONFIRM, {"token": token})
    async with runtime.sessions() as check:
        guest = await check.scalar(select(Person).where(Person.is_guest))
    assert guest is not None
    # Then the guest sees no members-only convening, nor the people
    mine = "{ convenings(first: 10) { edges { node { title } } } people(first: 5) { totalCount } }"
    data = await gql.data(mine, as_=guest)
    assert [e["node"]["title"] for e in data["convenings"]["edges"]] == ["Town hall"]
    assert hidden.title not in str(data)
    # And an admin sees them as a guest, with the organization they typed
    query = "query ($id: ID!) { node(id: $id) { ... on Person { isGuest guestOrganizationName } } }"
    seen = await gql.data(query, {"id": to_global_id("Person", guest.id)}, as_=admin)
    assert seen["node"] == {"isGuest": True, "guestOrganizationName": "Barrio Unido"}


async def test_an_organization_picked_by_name_is_kept_as_the_directory_spells_it(
    session, runtime, gql
):
    await create_organization(session, name="Unión del Barrio")
    convening = await public(session)
    await gql(REQUEST, {"input": answer(convening, organizationName="union del barrio")})
    async with runtime.sessions() as check:
        assert await check.scalar(select(GuestRsvpRequest.organization_name)) == (
            "Unión del Barrio"
        )


async def test_the_guest_person_is_not_created_before_confirmation_even_when_full(
    session, runtime, gql
):
    convening = await public(session, capacity=0)
    await gql(REQUEST, {"input": answer(convening)})
    assert await count(runtime, Person) == 0
    (token,) = await links(runtime)
    confirmed = (await gql(CONFIRM, {"token": token}))["data"]["confirmGuestRsvp"]
    assert (confirmed["status"], confirmed["waitlistPosition"]) == ("WAITLISTED", 1)
    async with runtime.sessions() as check:
        assert await check.scalar(select(Rsvp.status)) == RsvpStatus.WAITLISTED


async def test_two_confirmations_at_once_for_one_new_email_make_one_person(session, runtime, gql):
    first = await public(session)
    second = await create_convening(session, title="Second", visibility=Visibility.PUBLIC)
    await session.commit()
    await gql(REQUEST, {"input": answer(first)})
    await gql(REQUEST, {"input": answer(second)})
    tokens = await links(runtime)
    answers = await asyncio.gather(*(gql(CONFIRM, {"token": t}) for t in tokens))
    assert [a["data"]["confirmGuestRsvp"]["status"] for a in answers] == ["GOING", "GOING"]
    assert (await count(runtime, Person), await count(runtime, Rsvp)) == (1, 2)


async def test_one_link_confirmed_twice_at_once_is_one_answer(session, runtime, gql):
    convening = await public(session, capacity=5)
    await gql(REQUEST, {"input": answer(convening)})
    (token,) = await links(runtime)
    answers = await asyncio.gather(*(gql(CONFIRM, {"token": token}) for _ in range(3)))
    assert {a["data"]["confirmGuestRsvp"]["status"] for a in answers} == {"GOING"}
    async with runtime.sessions() as check:
        assert (await check.get_one(Convening, convening.id)).going_count == 1
    assert await count(runtime, Rsvp) == 1

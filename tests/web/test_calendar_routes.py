"""Calendar files over HTTP: a convening's .ics as the caller may see it, and feeds at secret,
revocable URLs."""

from __future__ import annotations

from datetime import timedelta

import icalendar
from ical.calendar_stream import IcsCalendarStream

from hub.delivery.calendar.ids import convening_global_id
from hub.infrastructure.models.base import utcnow
from hub.infrastructure.models.convenings import RsvpStatus, Visibility
from hub.infrastructure.models.directory import AffiliationRole
from hub.interfaces.graphql.node import to_global_id
from tests.convenings.factories import create_convening, create_member, create_rsvp
from tests.factories import create_organization, create_person

CREATE_FEED = """
mutation ($org: ID) {
  createCalendarFeed(input: {organizationId: $org}) {
    feed { url createdAt }
    errors { field code message }
  }
}
"""
REVOKE_FEED = """
mutation ($org: ID) {
  revokeCalendarFeed(input: {organizationId: $org}) { revoked errors { code } }
}
"""


def ics_path(convening) -> str:
    return f"/calendar/convenings/{convening_global_id(convening.id)}.ics"


def uids(ics: bytes) -> list[str]:
    return [str(e["UID"]) for e in icalendar.Calendar.from_ical(ics).walk("VEVENT")]


def local(url: str) -> str:
    return url.removeprefix("http://hub.test")


async def test_anyone_downloads_a_public_convening(session, http):
    convening = await create_convening(session, title="Open Forum", visibility=Visibility.PUBLIC)
    await session.commit()

    response = await http.get(ics_path(convening))

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert response.headers["content-disposition"] == (
        f'attachment; filename="convening-{convening.id}.ics"'
    )
    assert uids(response.content) == [f"convening-{convening.id}@hub.test"]
    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar["METHOD"] == "PUBLISH"
    (event,) = IcsCalendarStream.calendar_from_ics(response.text).events
    assert event.summary == "Open Forum"


async def test_a_members_convening_needs_a_members_token(session, http, gql):
    convening = await create_convening(session, visibility=Visibility.MEMBERS)
    member = await create_member(session)
    stranger = await create_person(session)
    await session.commit()

    anonymous = await http.get(ics_path(convening))
    unaffiliated = await http.get(
        ics_path(convening), headers={"Authorization": f"Bearer {gql.token_for(stranger)}"}
    )
    affiliated = await http.get(
        ics_path(convening), headers={"Authorization": f"Bearer {gql.token_for(member)}"}
    )

    assert (anonymous.status_code, unaffiliated.status_code) == (404, 404)
    assert anonymous.text == "No such calendar is visible to you."
    assert affiliated.status_code == 200


async def test_a_bad_token_is_refused_and_a_bad_id_is_unknown(session, http):
    convening = await create_convening(session, visibility=Visibility.PUBLIC)
    await session.commit()

    forged = await http.get(ics_path(convening), headers={"Authorization": "Bearer forged"})
    unknown = await http.get("/calendar/convenings/not-an-id.ics")

    assert forged.status_code == 401
    assert forged.json()["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED"}
    assert unknown.status_code == 404


async def test_a_persons_feed_holds_what_they_are_going_to_until_revoked(session, http, gql):
    # Given a person GOING to two convenings and MAYBE to a third
    person = await create_member(session)
    going = [await create_convening(session, title=f"Going {n}") for n in (1, 2)]
    for convening in going:
        await create_rsvp(session, convening, person, RsvpStatus.GOING)
    maybe = await create_convening(session, title="Maybe")
    await create_rsvp(session, maybe, person, RsvpStatus.MAYBE)
    await session.commit()

    # When they make a feed and a calendar app fetches it, without signing in
    created = (await gql.data(CREATE_FEED, as_=person))["createCalendarFeed"]
    url = created["feed"]["url"]
    fetched = await http.get(local(url))

    # Then it holds the two GOING convenings, as a calendar to subscribe to
    assert created["errors"] == []
    assert url.startswith("http://hub.test/calendar/feeds/") and url.endswith(".ics")
    assert fetched.status_code == 200
    assert fetched.headers["cache-control"] == "private, max-age=300"
    assert uids(fetched.content) == [f"convening-{c.id}@hub.test" for c in going]
    assert len(IcsCalendarStream.calendar_from_ics(fetched.text).events) == 2

    # And once revoked, the URL answers nothing
    revoked = (await gql.data(REVOKE_FEED, as_=person))["revokeCalendarFeed"]
    again = (await gql.data(REVOKE_FEED, as_=person))["revokeCalendarFeed"]
    assert (revoked["revoked"], again["revoked"]) == (True, False)
    assert (await http.get(local(url))).status_code == 404


async def test_a_new_feed_url_retires_the_old_one(session, http, gql):
    person = await create_member(session)
    await session.commit()

    old = (await gql.data(CREATE_FEED, as_=person))["createCalendarFeed"]["feed"]["url"]
    new = (await gql.data(CREATE_FEED, as_=person))["createCalendarFeed"]["feed"]["url"]

    assert old != new
    assert (await http.get(local(old))).status_code == 404
    assert (await http.get(local(new))).status_code == 200


async def test_an_organizations_feed_holds_the_convenings_it_hosts(session, http, gql):
    # Given an organization hosting two convenings (one long past), and one it does not host
    organization = await create_organization(session)
    contact = await create_member(session, organization, AffiliationRole.CONTACT)
    hosted = await create_convening(session, hosts=[organization], title="Hosted")
    await create_convening(
        session,
        hosts=[organization],
        starts_at=utcnow() - timedelta(days=400),
        title="Long ago",
    )
    await create_convening(session, title="Someone else's")
    await session.commit()

    # When its contact makes the feed
    payload = (
        await gql.data(
            CREATE_FEED, {"org": to_global_id("Organization", organization.id)}, as_=contact
        )
    )["createCalendarFeed"]
    fetched = await http.get(local(payload["feed"]["url"]))

    # Then it holds the hosted convening
    assert fetched.status_code == 200
    assert uids(fetched.content) == [f"convening-{hosted.id}@hub.test"]
    assert icalendar.Calendar.from_ical(fetched.content)["X-WR-CALNAME"] == (
        f"Coalition Hub: {organization.name}"
    )

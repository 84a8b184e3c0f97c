"""A single bad event never breaks a whole feed: a convening that cannot be rendered (a date
in year 9999, as legacy data or a restored database may hold) is left out and logged, and the
feed answers with everything else. The admin can then repair it, even once cancelled."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import icalendar
import pytest

from hub.infrastructure.models import Convening, Person
from hub.infrastructure.models.convenings import ConveningStatus
from hub.infrastructure.models.directory import AffiliationRole
from hub.interfaces.graphql.node import to_global_id
from tests.convenings.factories import create_convening, create_member, create_rsvp
from tests.factories import create_admin, create_organization

CREATE_FEED = """
mutation ($org: ID) { createCalendarFeed(input: {organizationId: $org}) { feed { url } } }
"""
UPDATE = """
mutation ($input: UpdateConveningInput!) {
  updateConvening(input: $input) {
    convening { status startsAt endsAt title } errors { field code }
  }
}
"""
FAR = datetime(9999, 12, 31, 20, 0, tzinfo=UTC)


@dataclass
class Feeds:
    contact: Person
    attendee: Person
    admin: Person
    organization_id: int
    good: Convening
    bad: Convening  # year 9999, written without validation


@pytest.fixture
async def feeds(session: Any) -> Feeds:
    organization = await create_organization(session)
    contact = await create_member(session, organization, AffiliationRole.CONTACT)
    attendee = await create_member(session, organization)
    good = await create_convening(session, [organization], title="Good")
    bad = await create_convening(
        session, [organization], title="Far future", starts_at=FAR, ends_at=FAR.replace(hour=23)
    )
    await create_rsvp(session, good, attendee)
    await create_rsvp(session, bad, attendee)
    admin = await create_admin(session)
    await session.commit()
    return Feeds(contact, attendee, admin, organization.id, good, bad)


def _summaries(ics: bytes) -> list[str]:
    return [str(event["SUMMARY"]) for event in icalendar.Calendar.from_ical(ics).walk("VEVENT")]


async def _feed(gql: Any, http: Any, person: Person, organization_id: int | None = None) -> Any:
    org = to_global_id("Organization", organization_id) if organization_id else None
    made = await gql.data(CREATE_FEED, {"org": org}, as_=person)
    return await http.get(made["createCalendarFeed"]["feed"]["url"].removeprefix("http://hub.test"))


async def test_the_attendees_and_the_hosts_feeds_answer_without_the_bad_event(
    gql, http, feeds, caplog
):
    with caplog.at_level(logging.WARNING, logger="hub.delivery.feeds"):
        personal = await _feed(gql, http, feeds.attendee)
        hosted = await _feed(gql, http, feeds.contact, feeds.organization_id)

    assert (personal.status_code, hosted.status_code) == (200, 200)
    assert _summaries(personal.content) == ["Good"]
    assert _summaries(hosted.content) == ["Good"]
    skipped = [r for r in caplog.records if r.name == "hub.delivery.feeds.contents"]
    assert [r.convening_id for r in skipped] == [feeds.bad.id, feeds.bad.id]


async def test_a_cancelled_convening_can_be_repaired_and_stays_cancelled(session, gql, http, feeds):
    feeds.bad.status = ConveningStatus.CANCELLED
    session.add(feeds.bad)
    await session.commit()
    repair = {
        "id": str(to_global_id("Convening", feeds.bad.id)),
        "startsAt": "2031-03-01T10:00:00",
        "endsAt": "2031-03-01T12:00:00",
        "title": "Repaired",
    }

    done = await gql.data(UPDATE, {"input": repair}, as_=feeds.admin)
    hosted = await _feed(gql, http, feeds.contact, feeds.organization_id)

    assert done["updateConvening"] == {
        "convening": {
            "status": "CANCELLED",
            "startsAt": "2031-03-01T10:00:00-08:00",
            "endsAt": "2031-03-01T12:00:00-08:00",
            "title": "Repaired",
        },
        "errors": [],
    }
    assert _summaries(hosted.content) == ["Good", "Repaired"]


async def test_the_bad_events_own_calendar_file_is_a_clear_refusal(gql, http, feeds):
    headers = {"Authorization": f"Bearer {gql.token_for(feeds.attendee)}"}

    def path(convening: Convening) -> str:
        return f"/calendar/convenings/{to_global_id('Convening', convening.id)}.ics"

    refused = await http.get(path(feeds.bad), headers=headers)
    good = await http.get(path(feeds.good), headers=headers)

    assert refused.status_code == 422
    assert refused.text == "This convening's dates cannot be written as a calendar file."
    assert good.status_code == 200

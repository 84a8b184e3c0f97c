"""A COMMITTEE convening stays with the committee: nobody answers for a person who may not see
it, and its emails and calendar feeds reach only people who may see it, by the same row rule
as the API (hub/access/permissions/convenings.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from hub.delivery.reminders.due import remind_convenings
from hub.infrastructure.models import Affiliation, Convening, OutboxMessage, Person
from hub.infrastructure.models.convenings import RsvpStatus, Visibility
from hub.infrastructure.models.directory import AffiliationRole
from tests.convenings.factories import create_convening, create_member, create_rsvp
from tests.factories import create_admin
from tests.governance.factories import create_seat
from tests.graphql.convenings.documents import RSVP, gid, rsvp_input, stored

UPDATE = """
mutation ($input: UpdateConveningInput!) {
  updateConvening(input: $input) { convening { title } errors { field code } }
}
"""
CANCEL = """
mutation ($id: ID!) { cancelConvening(input: {id: $id}) { convening { status } errors { code } } }
"""
CREATE_FEED = "mutation { createCalendarFeed(input: {}) { feed { url } errors { code } } }"


@dataclass
class Committee:
    contact: Person  # a committee seat holder, the CONTACT of the seat's organization
    colleague: Person  # in the same organization, without a seat
    organization_id: int  # the seat's organization
    admin: Person
    meeting: Convening  # COMMITTEE
    public: Convening


@pytest.fixture
async def committee(session: Any) -> Committee:
    seated = await create_seat(session)
    holder = await session.scalar(
        select(Affiliation).where(Affiliation.person_id == seated.holder.id)
    )
    holder.role = AffiliationRole.CONTACT
    colleague = await create_member(session, seated.organization, name="Colleague")
    admin = await create_admin(session)
    meeting = await create_convening(
        session, title="Committee meeting", visibility=Visibility.COMMITTEE
    )
    public = await create_convening(session, title="Open session", visibility=Visibility.PUBLIC)
    await session.commit()
    return Committee(seated.holder, colleague, seated.organization.id, admin, meeting, public)


async def _messages(runtime: Any) -> list[tuple[int | None, str]]:
    async with runtime.sessions() as session:
        rows = await session.execute(
            select(OutboxMessage.recipient_person_id, OutboxMessage.kind).order_by(OutboxMessage.id)
        )
        return [(person, str(kind)) for person, kind in rows.all()]


async def _answer_for_colleague(gql: Any, committee: Committee, convening: Convening) -> dict:
    """The seat holder, as the CONTACT of their organization, answers GOING for the colleague."""
    colleague = {
        "personId": gid("Person", committee.colleague.id),
        "organizationId": gid("Organization", committee.organization_id),
    }
    return await gql(RSVP, rsvp_input(convening, **colleague), as_=committee.contact)


async def test_a_contact_cannot_answer_for_a_colleague_who_may_not_see_the_convening(
    gql, runtime, committee
):
    before = await stored(runtime, committee.meeting.id)

    body = await _answer_for_colleague(gql, committee, committee.meeting)

    assert "errors" not in body, body
    assert body["data"]["rsvp"]["rsvp"] is None
    assert [(e["field"], e["code"]) for e in body["data"]["rsvp"]["errors"]] == [
        ("personId", "CONVENING_NOT_VISIBLE_TO_PERSON")
    ]
    assert await stored(runtime, committee.meeting.id) == before
    assert await _messages(runtime) == []


async def test_the_same_contact_answers_for_the_colleague_to_what_they_may_see(
    gql, runtime, committee
):
    data = (await _answer_for_colleague(gql, committee, committee.public))["data"]

    assert data["rsvp"]["errors"] == []
    assert data["rsvp"]["rsvp"]["status"] == "GOING"
    assert await _messages(runtime) == [(committee.colleague.id, "rsvp_confirmed")]


async def test_changes_and_cancellation_are_mailed_only_to_those_who_may_see_it(
    session, gql, runtime, committee
):
    # Given a GOING RSVP of someone who may not see the meeting (written before the rule held)
    await create_rsvp(session, committee.meeting, committee.colleague, RsvpStatus.GOING)
    await create_rsvp(session, committee.meeting, committee.contact, RsvpStatus.GOING)
    await session.commit()
    cid = gid("Convening", committee.meeting.id)

    # When an admin moves it and then cancels it
    moved = await gql.data(
        UPDATE, {"input": {"id": cid, "venueName": "Elsewhere"}}, as_=committee.admin
    )
    cancelled = await gql.data(CANCEL, {"id": cid}, as_=committee.admin)

    # Then only the seat holder hears of it
    assert moved["updateConvening"]["errors"] == []
    assert cancelled["cancelConvening"]["errors"] == []
    assert await _messages(runtime) == [
        (committee.contact.id, "convening_updated"),
        (committee.contact.id, "convening_cancelled"),
    ]


async def test_a_persons_feed_leaves_out_what_they_may_not_see(session, http, gql, committee):
    await create_rsvp(session, committee.meeting, committee.colleague, RsvpStatus.GOING)
    await create_rsvp(session, committee.public, committee.colleague, RsvpStatus.GOING)
    await session.commit()

    url = (await gql.data(CREATE_FEED, as_=committee.colleague))["createCalendarFeed"]["feed"]
    fetched = await http.get(url["url"].removeprefix("http://hub.test"))

    assert fetched.status_code == 200
    assert "Open session" in fetched.text
    assert "Committee meeting" not in fetched.text


async def test_reminders_go_only_to_those_who_may_see_it(session, runtime, committee):
    await create_rsvp(session, committee.meeting, committee.colleague, RsvpStatus.GOING)
    await create_rsvp(session, committee.meeting, committee.contact, RsvpStatus.GOING)
    await session.commit()

    async with runtime.sessions() as reminding:
        now = committee.meeting.starts_at - timedelta(hours=2)
        queued = await remind_convenings(reminding, now=now)
        await reminding.commit()

    assert queued == 1
    assert await _messages(runtime) == [(committee.contact.id, "convening_reminder")]

"""Calendar feeds and links through GraphQL: who may make which feed, and what refusals
leave behind (nothing)."""

from __future__ import annotations

from sqlalchemy import func, select

from hub.infrastructure.models import CalendarFeedToken
from hub.infrastructure.models.convenings import Visibility
from hub.infrastructure.models.directory import AffiliationRole
from hub.interfaces.graphql.node import to_global_id
from tests.convenings.factories import create_convening, create_member
from tests.factories import create_admin, create_organization

CREATE_FEED = """
mutation ($org: ID) {
  createCalendarFeed(input: {organizationId: $org}) {
    feed { url createdAt }
    errors { field code message }
  }
}
"""
MY_FEED = "query ($org: ID) { myCalendarFeed(organizationId: $org) { url createdAt } }"
LINKS = "query ($id: ID!) { calendarLinks(conveningId: $id) { icsUrl googleCalendarUrl } }"


async def feed_count(runtime) -> int:
    async with runtime.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(CalendarFeedToken)))


async def test_my_feed_is_shown_without_its_secret_url(session, gql):
    person = await create_member(session)
    await session.commit()
    before = (await gql.data(MY_FEED, as_=person))["myCalendarFeed"]

    created = (await gql.data(CREATE_FEED, as_=person))["createCalendarFeed"]["feed"]
    after = (await gql.data(MY_FEED, as_=person))["myCalendarFeed"]

    assert before is None
    assert after == {"url": None, "createdAt": created["createdAt"]}


async def test_only_contacts_and_admins_make_an_organizations_feed(session, gql, runtime):
    # Given an organization, one of its plain members, and an admin
    organization = await create_organization(session)
    member = await create_member(session, organization, AffiliationRole.MEMBER)
    admin = await create_admin(session)
    await session.commit()
    org = to_global_id("Organization", organization.id)

    # When the member tries, then the admin
    refused = await gql(CREATE_FEED, {"org": org}, as_=member)
    allowed = await gql.data(CREATE_FEED, {"org": org}, as_=admin)

    # Then the member is refused and nothing was made for them; the admin gets a feed
    assert refused["data"] is None
    assert refused["errors"][0]["extensions"] == {"code": "FORBIDDEN"}
    assert allowed["createCalendarFeed"]["feed"]["url"].startswith("http://hub.test/calendar/")
    assert await feed_count(runtime) == 1


async def test_anonymous_callers_make_no_feed(gql, runtime):
    body = await gql(CREATE_FEED)

    assert body["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED"}
    assert await feed_count(runtime) == 0


async def test_an_unknown_organization_is_a_payload_error(session, gql, runtime):
    admin = await create_admin(session)
    await session.commit()

    missing = to_global_id("Organization", 999_999)
    payload = (await gql.data(CREATE_FEED, {"org": missing}, as_=admin))["createCalendarFeed"]
    malformed = (await gql.data(CREATE_FEED, {"org": "nope"}, as_=admin))["createCalendarFeed"]

    assert payload == {
        "feed": None,
        "errors": [
            {
                "field": "organizationId",
                "code": "UNKNOWN_ORGANIZATION",
                "message": "No organization has that id.",
            }
        ],
    }
    assert malformed["errors"][0]["code"] == "UNKNOWN_ORGANIZATION"
    assert await feed_count(runtime) == 0


async def test_calendar_links_for_a_convening_the_viewer_may_see(session, gql):
    public = await create_convening(session, title="Open Forum", visibility=Visibility.PUBLIC)
    committee = await create_convening(session, visibility=Visibility.COMMITTEE)
    await session.commit()
    public_id = to_global_id("Convening", public.id)

    seen = (await gql.data(LINKS, {"id": public_id}))["calendarLinks"]
    hidden = await gql.data(LINKS, {"id": to_global_id("Convening", committee.id)})

    assert seen["icsUrl"] == f"http://hub.test/calendar/convenings/{public_id}.ics"
    assert seen["googleCalendarUrl"].startswith(
        "https://calendar.google.com/calendar/render?action=TEMPLATE&text=Open+Forum&"
    )
    assert hidden == {"calendarLinks": None}

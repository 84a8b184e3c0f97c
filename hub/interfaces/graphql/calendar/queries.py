"""Calendar queries: one's feed, and a convening's calendar links."""

from __future__ import annotations

from typing import Annotated

import strawberry

from hub.delivery.calendar.facts import ConveningFacts
from hub.delivery.calendar.ids import convening_pk
from hub.delivery.calendar.links import convening_ics_url, google_calendar_link
from hub.delivery.feeds import contents, tokens
from hub.interfaces.graphql.calendar.types import CalendarFeed, CalendarLinks
from hub.interfaces.graphql.context import Context
from hub.interfaces.graphql.node import pk_of

Info = strawberry.Info[Context, None]
OrganizationArgument = Annotated[
    strawberry.ID | None,
    strawberry.argument(description="An organization you manage; leave out for your own feed."),
]


@strawberry.type
class CalendarQuery:
    @strawberry.field(
        description="Your active calendar feed (or an organization's), null when there is none."
    )
    async def my_calendar_feed(
        self, info: Info, organization_id: OrganizationArgument = None
    ) -> CalendarFeed | None:
        context = info.context
        feed = await tokens.active_feed(
            context.session,
            context.viewer,
            organization_id=pk_of(organization_id, "Organization") if organization_id else None,
        )
        return CalendarFeed.from_model(feed) if feed else None

    @strawberry.field(description="A convening's .ics and Google Calendar links; null if unseen.")
    async def calendar_links(self, info: Info, convening_id: strawberry.ID) -> CalendarLinks | None:
        pk = convening_pk(convening_id)
        if pk is None:
            return None
        context = info.context
        convening = await contents.visible_convening(context.session, context.viewer, pk)
        if convening is None:
            return None
        base_url = context.settings.base_url
        return CalendarLinks(
            ics_url=convening_ics_url(base_url, pk),
            google_calendar_url=google_calendar_link(
                ConveningFacts.from_model(convening), base_url
            ),
        )

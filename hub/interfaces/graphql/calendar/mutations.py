"""Calendar mutations: make a feed URL (replacing the old one) or revoke it."""

from __future__ import annotations

import strawberry

from hub.common.errors import InputError
from hub.delivery.calendar.links import feed_url
from hub.delivery.feeds import tokens
from hub.delivery.feeds.errors import CalendarErrorCode as Code
from hub.interfaces.graphql.calendar.types import CalendarError, CalendarFeed
from hub.interfaces.graphql.context import Context
from hub.interfaces.graphql.mutation import attempt, input_pk

Info = strawberry.Info[Context, None]


@strawberry.input
class CreateCalendarFeedInput:
    organization_id: strawberry.ID | None = strawberry.field(
        default=None, description="An organization you manage; leave out for your own feed."
    )


@strawberry.input
class RevokeCalendarFeedInput:
    organization_id: strawberry.ID | None = None


@strawberry.type
class CreateCalendarFeedPayload:
    feed: CalendarFeed | None
    errors: list[CalendarError]


@strawberry.type
class RevokeCalendarFeedPayload:
    revoked: bool = strawberry.field(description="Whether there was an active feed to revoke.")
    errors: list[CalendarError]


def organization_pk(organization_id: strawberry.ID | None) -> int | None:
    if organization_id is None:
        return None
    return input_pk(organization_id, "Organization", "organizationId", Code.UNKNOWN_ORGANIZATION)


def _errors(errors: list[InputError]) -> list[CalendarError]:
    return [CalendarError(field=e.field, code=e.code, message=e.message) for e in errors]  # type: ignore[arg-type]


@strawberry.type
class CalendarMutation:
    @strawberry.mutation(
        description="Makes a new secret feed URL (yours, or an organization's you manage); "
        "the previous URL stops working."
    )
    async def create_calendar_feed(
        self, info: Info, input: CreateCalendarFeedInput
    ) -> CreateCalendarFeedPayload:
        context = info.context

        async def create() -> tokens.IssuedFeed:
            organization_id = organization_pk(input.organization_id)
            return await tokens.create_feed(
                context.session, context.viewer, organization_id=organization_id
            )

        issued, errors = await attempt(context, create)
        feed = None
        if issued is not None:
            url = feed_url(context.settings.base_url, issued.token)
            feed = CalendarFeed.from_model(issued.feed, url=url)
        return CreateCalendarFeedPayload(feed=feed, errors=_errors(errors))

    @strawberry.mutation(description="Stops a feed URL from working.")
    async def revoke_calendar_feed(
        self, info: Info, input: RevokeCalendarFeedInput
    ) -> RevokeCalendarFeedPayload:
        context = info.context

        async def revoke() -> bool:
            organization_id = organization_pk(input.organization_id)
            return await tokens.revoke_feed(
                context.session, context.viewer, organization_id=organization_id
            )

        revoked, errors = await attempt(context, revoke)
        return RevokeCalendarFeedPayload(revoked=bool(revoked), errors=_errors(errors))

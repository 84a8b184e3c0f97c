"""Calendar feeds and "add to calendar" links as the API shows them."""

from __future__ import annotations

from datetime import datetime

import strawberry

from hub.delivery.feeds.errors import CalendarErrorCode
from hub.infrastructure.models import CalendarFeedToken
from hub.interfaces.graphql.errors import UserError

strawberry.enum(CalendarErrorCode)


@strawberry.type(description="A subscribable calendar feed (an iCalendar URL for calendar apps).")
class CalendarFeed:
    url: str | None = strawberry.field(
        description="The feed's secret URL: given only when the feed is made, never again."
    )
    created_at: datetime

    @classmethod
    def from_model(cls, model: CalendarFeedToken, url: str | None = None) -> CalendarFeed:
        return cls(url=url, created_at=model.created_at)


@strawberry.type(description="Ways to put a convening in a calendar.")
class CalendarLinks:
    ics_url: str = strawberry.field(description="The convening's .ics file.")
    google_calendar_url: str = strawberry.field(description="Google Calendar's add-event page.")


@strawberry.type(description="A mistake in a calendar feed change.")
class CalendarError(UserError):
    code: CalendarErrorCode

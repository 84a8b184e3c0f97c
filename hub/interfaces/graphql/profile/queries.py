"""`myEmailCategories` and `unsubscribeLink(token:)`."""

from __future__ import annotations

import strawberry

from hub.delivery.email import preferences
from hub.delivery.email.preferences import EmailCategory
from hub.domains.directory import profile
from hub.interfaces.graphql.context import Context
from hub.interfaces.graphql.profile.types import UnsubscribeLink

Info = strawberry.Info[Context, None]


@strawberry.type
class ProfileQuery:
    @strawberry.field(
        description="The kinds of email you get (those you have not stopped); null for "
        "anonymous callers and API clients."
    )
    async def my_email_categories(self, info: Info) -> list[EmailCategory] | None:
        return await profile.email_categories(info.context.session, info.context.viewer)

    @strawberry.field(
        description="What the unsubscribe link with this token stops (nothing about whose it "
        "is); null for a token the hub never gave. Anyone holding the link may ask."
    )
    async def unsubscribe_link(self, info: Info, token: str) -> UnsubscribeLink | None:
        owner = await preferences.token_owner(info.context.session, token)
        return UnsubscribeLink(category=owner.category) if owner else None

"""`guests`: the people who came in through a guest RSVP, for admins to attach."""

from __future__ import annotations

import strawberry

from hub.domains.guests import attach
from hub.infrastructure.models import Person as PersonRow
from hub.interfaces.graphql.connection import Connection, connection_of
from hub.interfaces.graphql.context import Context
from hub.interfaces.graphql.directory.types import Person

Info = strawberry.Info[Context, None]


@strawberry.type
class GuestQuery:
    @strawberry.field(
        description="Guests (people who answered a PUBLIC convening as a guest and belong to "
        "no organization yet), by name. Admins only."
    )
    async def guests(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Person]:
        statement = attach.guests(info.context.viewer)
        order = [PersonRow.name, PersonRow.id]
        return await connection_of(info.context, statement, order, Person.from_model, first, after)

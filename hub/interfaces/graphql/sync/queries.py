"""`deletedSince`: the tombstones a poller applies after the `updatedSince` pages."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from hub.domains.sync.tombstones import visible_tombstones
from hub.interfaces.graphql.connection import Connection, connection_of
from hub.interfaces.graphql.context import Context
from hub.interfaces.graphql.sync.ordering import TOMBSTONES_ORDER, left_since
from hub.interfaces.graphql.sync.types import Tombstone

Info = strawberry.Info[Context, None]


@strawberry.type
class SyncQuery:
    @strawberry.field(
        description="Objects that left the lists you read at or after `since`, oldest first: "
        "cancelled convenings, withdrawn proposals, deleted objects, and objects you may no "
        "longer see. Only objects you could see before they left; none you still see."
    )
    async def deleted_since(
        self,
        info: Info,
        since: Annotated[
            datetime, strawberry.argument(description="An ISO 8601 time; without offset, UTC.")
        ],
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Tombstone]:
        statement = visible_tombstones(info.context.viewer).where(left_since(since))
        return await connection_of(
            info.context, statement, TOMBSTONES_ORDER, Tombstone.from_model, first, after
        )

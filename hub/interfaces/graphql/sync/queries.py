"""`deletedSince`: the tombstones a poller applies after the `updatedSince` pages."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any

import strawberry
from sqlalchemy import SQLColumnExpression

from hub.domains.sync.tombstones import visible_tombstones
from hub.infrastructure.models import Tombstone as TombstoneRow
from hub.interfaces.graphql.connection import Connection, connection_of
from hub.interfaces.graphql.context import Context
from hub.interfaces.graphql.sync.ordering import aware
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
        statement = visible_tombstones(info.context.viewer).where(
            TombstoneRow.occurred_at >= aware(since)
        )
        order: Sequence[SQLColumnExpression[Any]] = [TombstoneRow.occurred_at, TombstoneRow.id]
        return await connection_of(
            info.context, statement, order, Tombstone.from_model, first, after
        )

"""`outbox`: the admins' view of outgoing messages, oldest first."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import strawberry
from sqlalchemy import SQLColumnExpression, select

from hub.access.permissions.outbox import require_outbox_reader
from hub.infrastructure.models import OutboxMessage as OutboxMessageRow
from hub.infrastructure.models.outbox import Channel
from hub.interfaces.graphql.connection import Connection, connection_of
from hub.interfaces.graphql.context import Context
from hub.interfaces.graphql.outbox.types import OutboxMessage, OutboxStatus

Info = strawberry.Info[Context, None]


@strawberry.type
class OutboxQuery:
    @strawberry.field(
        description="Outgoing messages, oldest first (`newestFirst` turns it round), by status "
        "and channel. Admins only."
    )
    async def outbox(
        self,
        info: Info,
        status: OutboxStatus | None = None,
        first: int | None = None,
        after: str | None = None,
        channel: Channel | None = None,
        newest_first: bool | None = False,
    ) -> Connection[OutboxMessage]:
        require_outbox_reader(info.context.viewer)
        statement = select(OutboxMessageRow)
        if status is not None:
            statement = statement.where(OutboxMessageRow.status == status)
        if channel is not None:
            statement = statement.where(OutboxMessageRow.channel == channel)
        # Keyset pages run ascending: newest first is ascending by the negated id.
        order: Sequence[SQLColumnExpression[Any]] = [
            (-OutboxMessageRow.id).label("newest") if newest_first else OutboxMessageRow.id
        ]
        return await connection_of(
            info.context, statement, order, OutboxMessage.from_model, first, after
        )

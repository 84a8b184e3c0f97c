"""The convenings' queries: `convenings`, upcoming first, filtered by time, kind, series,
status and host."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any

import strawberry
from sqlalchemy import SQLColumnExpression

from hub.domains.convenings.filters import ConveningFilter, filter_conditions
from hub.domains.convenings.lookup import visible_convenings
from hub.infrastructure.models import Convening as ConveningRow
from hub.infrastructure.models.base import utcnow
from hub.interfaces.graphql.connection import Connection, connection_of
from hub.interfaces.graphql.context import Context
from hub.interfaces.graphql.convenings.enums import ConveningKind, ConveningStatus
from hub.interfaces.graphql.convenings.types import Convening
from hub.interfaces.graphql.sync.ordering import UPDATED_SINCE, changed_since, changes_page_order

Info = strawberry.Info[Context, None]


@strawberry.type
class ConveningQuery:
    @strawberry.field(
        description="Convenings you may see, soonest first. Without `from` or `to`, those that "
        "have not yet ended; pass an early `from` for past ones. Bounds without an offset are "
        "UTC. All filters combine. With `updatedSince`: every changed convening, past or to "
        "come, but not the cancelled ones (see `deletedSince`)."
    )
    async def convenings(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        from_: Annotated[
            datetime | None, strawberry.argument(name="from", description="Not ended by then.")
        ] = None,
        to: Annotated[datetime | None, strawberry.argument(description="Starting before.")] = None,
        kind: ConveningKind | None = None,
        series_slug: str | None = None,
        status: ConveningStatus | None = None,
        host_slug: str | None = None,
        updated_since: Annotated[
            datetime | None, strawberry.argument(description=UPDATED_SINCE)
        ] = None,
    ) -> Connection[Convening]:
        wanted = ConveningFilter(
            from_=from_,
            to=to,
            kind=kind,
            status=status,
            series_slug=series_slug,
            host_slug=host_slug,
            upcoming_by_default=updated_since is None,
        )
        statement = visible_convenings(info.context.viewer).where(
            *filter_conditions(wanted, utcnow())
        )
        order: Sequence[SQLColumnExpression[Any]] = [ConveningRow.starts_at, ConveningRow.id]
        if updated_since is not None:
            statement = statement.where(*changed_since(ConveningRow, updated_since))
            order = changes_page_order(ConveningRow, after)
        return await connection_of(
            info.context, statement, order, Convening.from_model, first, after
        )

"""The convenings' queries: `convenings`, upcoming first, filtered by time, kind, series,
status and host."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Annotated, Any

import strawberry
from sqlalchemy import Select, SQLColumnExpression, exists, select

from hub.convenings.lookup import visible_convenings
from hub.graphql.connection import Connection, connection_of
from hub.graphql.context import Context
from hub.graphql.convenings.enums import ConveningKind, ConveningStatus
from hub.graphql.convenings.types import Convening
from hub.graphql.sync.ordering import UPDATED_SINCE, changed_since
from hub.models import Convening as ConveningRow
from hub.models import ConveningHost, ConveningSeries, Organization
from hub.models.base import utcnow
from hub.permissions.sync import ENDED_CONVENING

Info = strawberry.Info[Context, None]


def _in_window(statement: Select[Any], from_: datetime | None, to: datetime | None) -> Select[Any]:
    """Convenings not yet ended at `from` and starting before `to`. With neither given: the
    ones still to come (or under way)."""
    if from_ is None and to is None:
        from_ = utcnow()
    if from_ is not None:
        statement = statement.where(ConveningRow.ends_at > _aware(from_))
    if to is not None:
        statement = statement.where(ConveningRow.starts_at < _aware(to))
    return statement


def _aware(value: datetime) -> datetime:
    """A bound given without an offset is read as UTC: a list spans many zones."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _hosted_by(slug: str) -> Any:
    return exists().where(
        ConveningHost.convening_id == ConveningRow.id,
        ConveningHost.organization_id == Organization.id,
        Organization.slug == slug.strip().lower(),
    )


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
        statement = visible_convenings(info.context.viewer)
        if updated_since is None or from_ is not None or to is not None:
            statement = _in_window(statement, from_, to)
        if kind is not None:
            statement = statement.where(ConveningRow.kind == kind)
        if status is not None:
            statement = statement.where(ConveningRow.status == status)
        if series_slug is not None:
            series = select(ConveningSeries.id).where(ConveningSeries.slug == series_slug.lower())
            statement = statement.where(ConveningRow.series_id.in_(series))
        if host_slug is not None:
            statement = statement.where(_hosted_by(host_slug))
        order: Sequence[SQLColumnExpression[Any]] = [ConveningRow.starts_at, ConveningRow.id]
        if updated_since is not None:
            # Cancelled convenings leave the sync list: they arrive as tombstones.
            live = statement.where(ConveningRow.status != ENDED_CONVENING)
            statement, order = changed_since(live, ConveningRow, updated_since, after)
        return await connection_of(
            info.context, statement, order, Convening.from_model, first, after
        )

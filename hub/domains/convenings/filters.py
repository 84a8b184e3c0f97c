"""The filters of a convening list, as where-clauses: one definition for the API's normal path
and for the compiled read path, so both select the same rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, select

from hub.infrastructure.models import Convening, ConveningHost, ConveningSeries, Organization
from hub.infrastructure.models.convenings import ConveningKind, ConveningStatus


@dataclass(frozen=True)
class ConveningFilter:
    """`from_`: not ended by then; `to`: starting before. With neither, and `upcoming_by_default`,
    the convenings not yet ended at `now`. Bounds without an offset are UTC."""

    from_: datetime | None = None
    to: datetime | None = None
    kind: ConveningKind | None = None
    status: ConveningStatus | None = None
    series_slug: str | None = None
    host_slug: str | None = None
    upcoming_by_default: bool = True


def filter_conditions(wanted: ConveningFilter, now: datetime) -> list[ColumnElement[bool]]:
    conditions = _in_window(wanted, now)
    if wanted.kind is not None:
        conditions.append(Convening.kind == wanted.kind)
    if wanted.status is not None:
        conditions.append(Convening.status == wanted.status)
    if wanted.series_slug is not None:
        series = select(ConveningSeries.id).where(
            ConveningSeries.slug == wanted.series_slug.lower()
        )
        conditions.append(Convening.series_id.in_(series))
    if wanted.host_slug is not None:
        conditions.append(_hosted_by(wanted.host_slug))
    return conditions


def _in_window(wanted: ConveningFilter, now: datetime) -> list[ColumnElement[bool]]:
    from_ = wanted.from_
    if from_ is None and wanted.to is None and wanted.upcoming_by_default:
        from_ = now
    conditions = []
    if from_ is not None:
        conditions.append(Convening.ends_at > aware(from_))
    if wanted.to is not None:
        conditions.append(Convening.starts_at < aware(wanted.to))
    return conditions


def aware(value: datetime) -> datetime:
    """A bound given without an offset is read as UTC: a list spans many zones."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _hosted_by(slug: str) -> ColumnElement[bool]:
    hosts = select(ConveningHost.convening_id).join(
        Organization, Organization.id == ConveningHost.organization_id
    )
    return Convening.id.in_(hosts.where(Organization.slug == slug.strip().lower()))

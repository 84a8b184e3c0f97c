"""Series of convenings ("2011 Collaborative Strategy Sessions"): created and renamed by
admins. A series keeps its slug when renamed: peers filter convenings by it."""

from __future__ import annotations

from slugify import slugify
from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from hub.access.auth.viewer import Viewer
from hub.access.permissions import convenings as rules
from hub.common.errors import InputError
from hub.domains.convenings import validation as valid
from hub.domains.convenings.errors import ConveningErrorCode as Code
from hub.infrastructure.models import ConveningSeries

NAME_LENGTH = 200


def all_series(viewer: Viewer) -> Select[ConveningSeries]:
    rules.require_may_see_series_list(viewer)
    return select(ConveningSeries)


async def create_series(session: AsyncSession, viewer: Viewer, name: str) -> ConveningSeries:
    """A new series, its slug made from its name. The slug is the natural key: a form sent
    twice, or two admins naming the same series, make one (the second hears it exists)."""
    rules.require_may_manage_series(viewer)
    cleaned = valid.required_name("name", name, NAME_LENGTH)
    slug = slugify(cleaned, max_length=80)
    if not slug:
        raise InputError("name", Code.INVALID_CHARACTERS, "Give the series a name with letters.")
    series = ConveningSeries(slug=slug, name=cleaned)
    try:
        async with session.begin_nested():
            session.add(series)
            await session.flush()
    except IntegrityError as error:
        raise _taken(cleaned) from error
    return series


async def rename_series(
    session: AsyncSession, viewer: Viewer, series_id: int, name: str
) -> ConveningSeries:
    rules.require_may_manage_series(viewer)
    series = await session.get(ConveningSeries, series_id, with_for_update=True)
    if series is None:
        raise InputError("id", Code.UNKNOWN_SERIES, "No series has that id.")
    series.name = valid.required_name("name", name, NAME_LENGTH)
    await session.flush()
    return series


async def series_by_slug(session: AsyncSession, slug: str) -> ConveningSeries | None:
    return await session.scalar(
        select(ConveningSeries).where(ConveningSeries.slug == slug.strip().lower())
    )


def _taken(name: str) -> InputError:
    return InputError("name", Code.SERIES_NAME_TAKEN, f"A series named {name!r} exists already.")

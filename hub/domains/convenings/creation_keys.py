"""Creation keys: each scheduling form carries a random key, and the convenings it makes are
stored under "<person id>/<key>/<occurrence>" in a unique column. A form sent twice (a double
click, a retried request, two tabs) finds the convenings the first sending made, and a
sending that races the first is refused by the unique key and answered the same way."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.access.auth.viewer import Viewer
from hub.infrastructure.models import Convening

MAX_KEY_LENGTH = 64


def key_of(viewer: Viewer, form_key: str | None, occurrence: int) -> str | None:
    cleaned = _cleaned(form_key)
    if cleaned is None:
        return None
    return f"{viewer.person_id}/{cleaned}/{occurrence}"


async def made_by_form(
    session: AsyncSession, viewer: Viewer, form_key: str | None
) -> list[Convening]:
    """The convenings this person's form with this key made, soonest first (none for no key)."""
    cleaned = _cleaned(form_key)
    if cleaned is None:
        return []
    prefix = f"{viewer.person_id}/{cleaned}/"
    statement = (
        select(Convening)
        .where(Convening.creation_key.startswith(prefix, autoescape=True))
        .order_by(Convening.starts_at, Convening.id)
        .execution_options(populate_existing=True)
    )
    return list(await session.scalars(statement))


def _cleaned(form_key: str | None) -> str | None:
    """A key as given, cut to what the column holds; an empty one is no key."""
    cleaned = (form_key or "").strip()[:MAX_KEY_LENGTH]
    return cleaned or None

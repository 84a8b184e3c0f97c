"""Finding convenings and RSVPs the way a viewer may see them: what is hidden is unknown."""

from __future__ import annotations

from sqlalchemy import Select, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hub.access.auth.viewer import Viewer
from hub.access.permissions import convenings as rules
from hub.common.errors import InputError
from hub.domains.convenings.errors import ConveningErrorCode as Code
from hub.infrastructure.models import Convening, ConveningHost, Rsvp
from hub.infrastructure.models.base import utcnow


def visible_convenings(viewer: Viewer) -> Select[Convening]:
    return select(Convening).where(rules.convening_rows(viewer))


async def locked_convening(session: AsyncSession, viewer: Viewer, convening_id: int) -> Convening:
    """The convening's row, locked until the transaction ends, with its counters fresh: every
    change to its RSVPs takes this lock first, so capacity checks see one another's results.
    (SQLite ignores FOR UPDATE; its BEGIN IMMEDIATE already serializes writers.)"""
    statement = (
        visible_convenings(viewer)
        .where(Convening.id == convening_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    convening = await session.scalar(statement)
    if convening is None:
        raise unknown_convening()
    return convening


async def touched_convening(session: AsyncSession, viewer: Viewer, convening_id: int) -> Convening:
    """The convening's row as `locked_convening` gives it, marked changed now (as `touch`
    would) in the same statement, for a change that shows on it (an answer changes its
    counts). An UPDATE takes the row lock that SELECT ... FOR UPDATE takes, and once a
    concurrent holder commits it reads the newest row, its counters included."""
    statement = (
        update(Convening)
        .where(Convening.id == convening_id, rules.convening_rows(viewer))
        .values(updated_at=utcnow())
        .returning(Convening)
        .execution_options(populate_existing=True, synchronize_session=False)
    )
    convening = await session.scalar(statement)
    if convening is None:
        raise unknown_convening()
    return convening


async def host_ids(session: AsyncSession, convening_id: int) -> list[int]:
    statement = select(ConveningHost.organization_id).where(
        ConveningHost.convening_id == convening_id
    )
    return list(await session.scalars(statement.order_by(ConveningHost.organization_id)))


async def visible_rsvp(session: AsyncSession, viewer: Viewer, rsvp_id: int) -> Rsvp:
    statement = (
        select(Rsvp)
        .where(Rsvp.id == rsvp_id, rules.rsvp_rows(viewer))
        .execution_options(populate_existing=True)
    )
    rsvp = await session.scalar(statement)
    if rsvp is None:
        raise InputError("rsvpId", Code.UNKNOWN_RSVP, "No RSVP with that id is visible to you.")
    return rsvp


def unknown_convening() -> InputError:
    return InputError(
        "conveningId", Code.UNKNOWN_CONVENING, "No convening with that id is visible to you."
    )

"""Recording tombstones, inside the transaction of the change that causes them. Services call
these; nothing here checks a viewer (the caller already did)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.access.auth.viewer import Viewer
from hub.access.permissions.governance import MEMBER_STATUSES, PUBLIC_STATUSES
from hub.access.permissions.sync import tombstone_rows
from hub.common.ids import global_id
from hub.infrastructure.models import Convening, ConveningHost, Proposal, Tombstone, TombstoneHost
from hub.infrastructure.models.base import utcnow
from hub.infrastructure.models.convenings import Visibility
from hub.infrastructure.models.governance import ProposalStatus
from hub.infrastructure.models.sync import TombstoneReason


async def record(
    session: AsyncSession,
    type_name: str,
    object_id: int,
    reason: TombstoneReason,
    *,
    prior_visibility: Visibility | None = None,
    prior_status: str | None = None,
    host_ids: Iterable[int] = (),
) -> Tombstone:
    tombstone = Tombstone(
        type_name=type_name,
        object_id=object_id,
        global_id=global_id(type_name, object_id),
        reason=reason,
        occurred_at=utcnow(),
        prior_visibility=prior_visibility,
        prior_status=prior_status,
    )
    session.add(tombstone)
    await session.flush()
    session.add_all(TombstoneHost(tombstone_id=tombstone.id, organization_id=h) for h in host_ids)
    await session.flush()
    return tombstone


async def convening_left(
    session: AsyncSession,
    convening: Convening,
    reason: TombstoneReason,
    *,
    prior_visibility: Visibility | None = None,
    prior_host_ids: Iterable[int] | None = None,
) -> Tombstone:
    """A convening was cancelled, deleted, or hidden from some (by a change of visibility or
    of hosts): `prior_*` say what it was before, when the change altered them."""
    hosts = prior_host_ids if prior_host_ids is not None else await _host_ids(session, convening)
    return await record(
        session,
        "Convening",
        convening.id,
        reason,
        prior_visibility=prior_visibility or convening.visibility,
        host_ids=hosts,
    )


async def convening_audience_changed(
    session: AsyncSession,
    convening: Convening,
    prior_visibility: Visibility,
    prior_host_ids: list[int],
) -> Tombstone | None:
    """After an update: when the visibility or the hosts changed, some who saw the convening
    may no longer (the tombstone shows only to them)."""
    hosts = await _host_ids(session, convening)
    if convening.visibility == prior_visibility and set(hosts) == set(prior_host_ids):
        return None
    return await convening_left(
        session,
        convening,
        TombstoneReason.HIDDEN,
        prior_visibility=prior_visibility,
        prior_host_ids=prior_host_ids,
    )


async def _host_ids(session: AsyncSession, convening: Convening) -> list[int]:
    statement = select(ConveningHost.organization_id).where(
        ConveningHost.convening_id == convening.id
    )
    return list(await session.scalars(statement))


async def proposal_status_changed(
    session: AsyncSession, proposal: Proposal, previous: ProposalStatus
) -> Tombstone | None:
    """WITHDRAWN leaves every list; a move back to DRAFT hides it from members."""
    if proposal.status == ProposalStatus.WITHDRAWN:
        reason = TombstoneReason.WITHDRAWN
    elif _audience(previous) > _audience(proposal.status):
        reason = TombstoneReason.HIDDEN
    else:
        return None
    return await record(session, "Proposal", proposal.id, reason, prior_status=previous.value)


def _audience(status: ProposalStatus) -> int:
    """How wide the circle that sees a proposal in this status: 2 everyone, 1 members,
    0 the committee."""
    if status in PUBLIC_STATUSES:
        return 2
    return 1 if status in MEMBER_STATUSES else 0


def visible_tombstones(viewer: Viewer) -> Select[Tombstone]:
    return select(Tombstone).where(tombstone_rows(viewer))

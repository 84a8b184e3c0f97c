"""Proxies: a seat gives its vote, in writing, for one meeting or one proposal, to another
seat's holder.

- Granted and revoked by the giving seat's holder or alternate (or an admin recording a proxy
  handed in on paper), until the vote opens: a proposal's proxy until its voting opens, a
  meeting's proxy while none of the meeting's votes is open.
- At most one unrevoked proxy per seat and meeting (or proposal): the giving seat's row is
  locked first, and partial unique indexes hold it too.
- One person carries at most `max_per_person` proxies for one meeting (or proposal): the
  carrier's row is locked while counting.
- A proxy is used only when neither the holder nor the alternate voted (voting._store_vote).
- Every grant, revocation and use enters the admins' audit trail (hub/infrastructure/audit.py); a
use never
  says the choice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.access.auth.viewer import Viewer
from hub.access.permissions import governance as rules
from hub.common.errors import InputError
from hub.delivery.notifications import committee as notices
from hub.domains.governance import meetings
from hub.domains.governance.errors import GovernanceErrorCode as Code
from hub.domains.governance.proposals import visible_proposal
from hub.infrastructure.audit import record_audit
from hub.infrastructure.models import CommitteeSeat, EligibleSeat, Person, Proposal, Proxy
from hub.infrastructure.models.governance import ProposalStatus

BEFORE_VOTING = (ProposalStatus.DRAFT, ProposalStatus.DISCUSSION)


@dataclass(frozen=True)
class ProxyGrant:
    """The seat giving its vote, the seat whose holder carries it, and for what: one meeting
    or one proposal."""

    seat_id: int
    to_seat_id: int
    meeting_id: int | None = None
    proposal_id: int | None = None


def visible_proxies(viewer: Viewer) -> Select[Proxy]:
    return select(Proxy).where(rules.proxy_rows(viewer))


async def grant_proxy(
    session: AsyncSession,
    viewer: Viewer,
    grant: ProxyGrant,
    *,
    max_per_person: int,
    now: datetime,
) -> Proxy:
    rules.require_person(viewer)
    seat = await _giving_seat(session, viewer, grant.seat_id)
    await _require_before_voting(session, viewer, grant.meeting_id, grant.proposal_id)
    carrier = await _carrier_seat(session, seat, grant.to_seat_id, viewer)
    if await _active(session, seat.id, grant.meeting_id, grant.proposal_id) is not None:
        raise InputError(
            "seatId",
            Code.PROXY_ALREADY_GIVEN,
            "This seat has already given its proxy for this: revoke it first.",
        )
    holder_id = carrier.holder_id
    assert holder_id is not None  # _carrier_seat refuses a vacant seat
    await _require_room_for(session, holder_id, grant, max_per_person)
    proxy = Proxy(
        seat_id=seat.id,
        to_seat_id=carrier.id,
        holder_id=holder_id,
        convening_id=grant.meeting_id,
        proposal_id=grant.proposal_id,
        granted_by_id=viewer.person_id,
        created_at=now,
        updated_at=now,
    )
    session.add(proxy)
    await session.flush()
    await _audit(session, viewer, "PROXY_GRANTED", proxy, now=now)
    await notices.proxy_granted(session, proxy)
    return proxy


async def revoke_proxy(
    session: AsyncSession, viewer: Viewer, proxy_id: int, *, now: datetime
) -> Proxy:
    rules.require_person(viewer)
    found = await session.scalar(visible_proxies(viewer).where(Proxy.id == proxy_id))
    if found is None:
        raise InputError("proxyId", Code.UNKNOWN_PROXY, "No proxy with that id is visible to you.")
    await _giving_seat(session, viewer, found.seat_id)  # the lock, and who may revoke it
    proxy = await session.scalar(
        select(Proxy).where(Proxy.id == proxy_id).execution_options(populate_existing=True)
    )
    assert proxy is not None
    if proxy.revoked_at is not None:
        raise InputError("proxyId", Code.PROXY_ALREADY_REVOKED, "This proxy was revoked.")
    await _require_before_voting(session, viewer, proxy.convening_id, proxy.proposal_id)
    proxy.revoked_at = now
    proxy.revoked_by_id = viewer.person_id
    proxy.updated_at = now
    await session.flush()
    await _audit(session, viewer, "PROXY_REVOKED", proxy, now=now)
    return proxy


async def usable_proxy_id(
    session: AsyncSession, viewer: Viewer, proposal: Proposal, seat_id: int
) -> int | None:
    """The viewer's unrevoked proxy from this seat for this proposal (or the meeting it is
    voted in), when the seat is eligible on it."""
    for_this: ColumnElement[bool] = Proxy.proposal_id == proposal.id
    if proposal.meeting_id is not None:
        for_this = or_(for_this, Proxy.convening_id == proposal.meeting_id)
    statement = (
        select(Proxy.id)
        .join(EligibleSeat, EligibleSeat.seat_id == Proxy.seat_id)
        .where(
            EligibleSeat.proposal_id == proposal.id,
            Proxy.seat_id == seat_id,
            Proxy.holder_id == viewer.person_id,
            Proxy.revoked_at.is_(None),
            for_this,
        )
    )
    return await session.scalar(statement.order_by(Proxy.id).limit(1))


async def record_use(
    session: AsyncSession, viewer: Viewer, proxy_id: int, proposal_id: int, *, now: datetime
) -> None:
    proxy = await session.get(Proxy, proxy_id)
    assert proxy is not None
    await record_audit(
        session,
        action="PROXY_USED",
        actor_id=viewer.person_id,
        detail=f"proxy {proxy.id} of seat {proxy.seat_id} voted on proposal {proposal_id}",
        now=now,
    )
    await notices.proxy_used(session, proxy, proposal_id, now=now)


async def _giving_seat(session: AsyncSession, viewer: Viewer, seat_id: int) -> CommitteeSeat:
    """The seat, locked: grants and revocations for one seat happen one after the other."""
    statement = (
        select(CommitteeSeat)
        .where(CommitteeSeat.id == seat_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    seat = await session.scalar(statement)
    if seat is None or not seat.active or seat.holder_id is None:
        raise InputError("seatId", Code.UNKNOWN_SEAT, "No held seat has that id.")
    rules.require_seat_speaker(viewer, seat)
    return seat


async def _carrier_seat(
    session: AsyncSession, seat: CommitteeSeat, to_seat_id: int, viewer: Viewer
) -> CommitteeSeat:
    carrier = await session.get(CommitteeSeat, to_seat_id, populate_existing=True)
    if carrier is None:
        raise InputError("toSeatId", Code.UNKNOWN_SEAT, "No seat has that id.")
    own_people = {seat.holder_id, seat.alternate_id, viewer.person_id}
    if carrier.id == seat.id or carrier.holder_id in own_people:
        raise InputError(
            "toSeatId", Code.PROXY_TO_OWN_SEAT, "A proxy goes to another seat's holder."
        )
    if not carrier.active or carrier.holder_id is None:
        raise InputError(
            "toSeatId", Code.PROXY_TO_VACANT_SEAT, "That seat is vacant: nobody could carry it."
        )
    return carrier


async def _require_before_voting(
    session: AsyncSession, viewer: Viewer, meeting_id: int | None, proposal_id: int | None
) -> None:
    if (meeting_id is None) == (proposal_id is None):
        raise InputError(
            "meetingId",
            Code.PROXY_TARGET_REQUIRED,
            "Give the proxy for one meeting or for one proposal.",
        )
    if proposal_id is not None:
        proposal = await visible_proposal(session, viewer, proposal_id)
        if proposal.status not in BEFORE_VOTING:
            raise _after_voting_opened()
        return
    assert meeting_id is not None
    await meetings.visible_meeting(session, viewer, meeting_id)
    open_votes = select(func.count()).where(
        Proposal.meeting_id == meeting_id, Proposal.status == ProposalStatus.VOTING
    )
    if await session.scalar(open_votes):
        raise _after_voting_opened()


def _after_voting_opened() -> InputError:
    return InputError(
        None,
        Code.PROXY_AFTER_VOTING_OPENED,
        "Voting has opened: proxies are given and revoked before a vote opens.",
    )


async def _active(
    session: AsyncSession, seat_id: int, meeting_id: int | None, proposal_id: int | None
) -> int | None:
    statement = select(Proxy.id).where(Proxy.seat_id == seat_id, Proxy.revoked_at.is_(None))
    if meeting_id is not None:
        statement = statement.where(Proxy.convening_id == meeting_id)
    else:
        statement = statement.where(Proxy.proposal_id == proposal_id)
    return await session.scalar(statement)


async def _require_room_for(
    session: AsyncSession, holder_id: int, grant: ProxyGrant, max_per_person: int
) -> None:
    # The carrier's row lock: two seats giving to one person at once count one after the other.
    await session.scalar(select(Person.id).where(Person.id == holder_id).with_for_update())
    carried = select(func.count()).where(Proxy.holder_id == holder_id, Proxy.revoked_at.is_(None))
    if grant.meeting_id is not None:
        carried = carried.where(Proxy.convening_id == grant.meeting_id)
    else:
        carried = carried.where(Proxy.proposal_id == grant.proposal_id)
    if (await session.scalar(carried) or 0) >= max_per_person:
        raise InputError(
            "toSeatId",
            Code.PROXY_LIMIT_REACHED,
            f"That holder already carries {max_per_person} proxies for this, the most allowed.",
        )


async def _audit(
    session: AsyncSession, viewer: Viewer, action: str, proxy: Proxy, *, now: datetime
) -> None:
    target = (
        f"meeting {proxy.convening_id}"
        if proxy.convening_id is not None
        else f"proposal {proxy.proposal_id}"
    )
    detail = f"proxy {proxy.id}: seat {proxy.seat_id} to person {proxy.holder_id} for {target}"
    await record_audit(session, action=action, actor_id=viewer.person_id, detail=detail, now=now)

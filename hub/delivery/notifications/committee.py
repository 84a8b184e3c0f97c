"""Messages caused by proxies, called by hub/domains/governance/proxies inside the same transaction
as the grant or the use: the seat's record in writing of who carries its vote, and of each vote
cast with it. A use says the choice only on a RECORDED ballot; a SECRET ballot's never leaves
its seal, so its notice says that the seat voted and nothing of how."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.delivery.email.enqueue import enqueue_email
from hub.delivery.email.kinds import MessageKind
from hub.infrastructure.models import (
    CommitteeSeat,
    Convening,
    Organization,
    Person,
    Proposal,
    Proxy,
    Vote,
)
from hub.infrastructure.models.governance import Ballot


async def proxy_granted(session: AsyncSession, proxy: Proxy) -> None:
    """To the person who carries the proxy and to the giving seat's holder and alternate."""
    facts = await _proxy_facts(session, proxy)
    for person, role in await _told_of(session, proxy, with_carrier=True):
        await enqueue_email(
            session,
            person,
            kind=MessageKind.COMMITTEE_PROXY_GRANTED,
            dedupe_key=f"proxy-granted:{proxy.id}:{person.id}",
            payload={"recipient_name": person.name, "proxy": {**facts, "told_as": role}},
        )


async def proxy_used(
    session: AsyncSession, proxy: Proxy, proposal_id: int, *, now: datetime
) -> None:
    """To the giving seat's holder and alternate, once for each vote cast with the proxy (a
    later vote replaces an earlier one, and each is written down)."""
    proposal = await session.get_one(Proposal, proposal_id)
    facts = await _proxy_facts(session, proxy)
    facts["proposal"] = {"id": proposal.id, "title": proposal.title}
    facts["choice"] = await _recorded_choice(session, proposal, proxy.seat_id)
    for person, role in await _told_of(session, proxy, with_carrier=False):
        await enqueue_email(
            session,
            person,
            kind=MessageKind.COMMITTEE_PROXY_USED,
            dedupe_key=f"proxy-used:{proxy.id}:{proposal.id}:{person.id}@{now.isoformat()}",
            payload={"recipient_name": person.name, "proxy": {**facts, "told_as": role}},
        )


async def _recorded_choice(session: AsyncSession, proposal: Proposal, seat_id: int) -> str | None:
    if proposal.ballot is not Ballot.RECORDED:
        return None
    choice = await session.scalar(
        select(Vote.choice).where(Vote.proposal_id == proposal.id, Vote.seat_id == seat_id)
    )
    return str(choice) if choice is not None else None


async def _told_of(
    session: AsyncSession, proxy: Proxy, *, with_carrier: bool
) -> list[tuple[Person, str]]:
    seat = await session.get_one(CommitteeSeat, proxy.seat_id)
    roles = [("holder", seat.holder_id), ("alternate", seat.alternate_id)]
    if with_carrier:
        roles.insert(0, ("carrier", proxy.holder_id))
    told: list[tuple[Person, str]] = []
    for role, person_id in roles:
        if person_id is not None and all(p.id != person_id for p, _ in told):
            told.append((await session.get_one(Person, person_id), role))
    return told


async def _proxy_facts(session: AsyncSession, proxy: Proxy) -> dict[str, Any]:
    seat = await session.get_one(CommitteeSeat, proxy.seat_id)
    organization = await session.get_one(Organization, seat.organization_id)
    carrier = await session.get_one(Person, proxy.holder_id)
    facts: dict[str, Any] = {
        "id": proxy.id,
        "seat_organization": organization.name,
        "carrier_name": carrier.name,
        "meeting": None,
        "proposal": None,
    }
    if proxy.convening_id is not None:
        facts["meeting"] = meeting_facts(await session.get_one(Convening, proxy.convening_id))
    if proxy.proposal_id is not None:
        proposal = await session.get_one(Proposal, proxy.proposal_id)
        facts["proposal"] = {"id": proposal.id, "title": proposal.title}
    return facts


def meeting_facts(meeting: Convening) -> dict[str, Any]:
    return {
        "id": meeting.id,
        "title": meeting.title,
        "starts_at": meeting.starts_at.isoformat(),
        "ends_at": meeting.ends_at.isoformat(),
    }

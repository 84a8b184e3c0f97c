"""Amendments: a seat's holder or alternate proposes a replacement of a proposal's text, with
a short rationale, while the proposal is in DRAFT or DISCUSSION; its sponsors (people of the
sponsoring organizations), its author or an admin accept or reject it.

An amendment is written against the version of the text it read (`base_version`). Accepting
takes the proposal's row lock and refuses an amendment whose version has since been replaced
(AMENDMENT_OUTDATED): two sponsors accepting two amendments at once leave one accepted and the
other refused, never one text silently overwriting the other.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.access.auth.viewer import Viewer
from hub.access.permissions import governance as rules
from hub.common.errors import InputError
from hub.domains.governance import versions
from hub.domains.governance.errors import GovernanceErrorCode as Code
from hub.domains.governance.events import record_event
from hub.domains.governance.proposals import BODY_LIMIT, EDITABLE, visible_proposal
from hub.infrastructure.models import Proposal, ProposalAmendment, ProposalSponsor
from hub.infrastructure.models.governance import AmendmentStatus, GovernanceAction

RATIONALE_LIMIT = 2_000


def visible_amendments(viewer: Viewer) -> Select[ProposalAmendment]:
    proposals = select(Proposal.id).where(rules.proposal_rows(viewer))
    return select(ProposalAmendment).where(ProposalAmendment.proposal_id.in_(proposals))


async def propose_amendment(
    session: AsyncSession,
    viewer: Viewer,
    proposal_id: int,
    body: str,
    rationale: str,
    *,
    seat_id: int | None = None,
    now: datetime,
) -> ProposalAmendment:
    rules.require_amender(viewer)
    proposal = await visible_proposal(session, viewer, proposal_id, lock=True)
    _require_editable(proposal)
    seat = _amending_seat(viewer, seat_id)
    text = _body(body)
    if text == proposal.body:
        raise InputError("body", Code.NO_CHANGE, "The amendment must change the text.")
    amendment = ProposalAmendment(
        proposal_id=proposal.id,
        seat_id=seat,
        proposed_by_id=viewer.person_id,
        base_version=await versions.current_version(session, proposal.id),
        body=text,
        rationale=_rationale(rationale),
        status=AmendmentStatus.PENDING,
        created_at=now,
        updated_at=now,
    )
    session.add(amendment)
    await session.flush()
    return amendment


async def accept_amendment(
    session: AsyncSession, viewer: Viewer, amendment_id: int, *, now: datetime
) -> ProposalAmendment:
    proposal, amendment = await _pending_for_decision(session, viewer, amendment_id)
    _require_editable(proposal)
    if amendment.base_version != await versions.current_version(session, proposal.id):
        raise InputError(
            "amendmentId",
            Code.AMENDMENT_OUTDATED,
            "The text changed after this amendment was written: it would undo that change.",
        )
    previous = proposal.body
    proposal.body = amendment.body
    proposal.updated_at = now
    version = await versions.record_new_text(
        session, proposal, previous, actor_id=viewer.person_id, amendment_id=amendment.id, now=now
    )
    _decide(amendment, viewer, AmendmentStatus.ACCEPTED, now)
    await session.flush()
    await record_event(
        session,
        GovernanceAction.PROPOSAL_UPDATED,
        now=now,
        actor=viewer,
        proposal_id=proposal.id,
        detail=f"body: amendment {amendment.id} accepted as version {version.number}",
    )
    return amendment


async def reject_amendment(
    session: AsyncSession, viewer: Viewer, amendment_id: int, *, now: datetime
) -> ProposalAmendment:
    _, amendment = await _pending_for_decision(session, viewer, amendment_id)
    _decide(amendment, viewer, AmendmentStatus.REJECTED, now)
    await session.flush()
    return amendment


async def visible_amendment(
    session: AsyncSession, viewer: Viewer, amendment_id: int
) -> ProposalAmendment:
    statement = visible_amendments(viewer).where(ProposalAmendment.id == amendment_id)
    found = await session.scalar(statement.execution_options(populate_existing=True))
    if found is None:
        raise InputError("amendmentId", Code.UNKNOWN_AMENDMENT, "No amendment with that id.")
    return found


async def _pending_for_decision(
    session: AsyncSession, viewer: Viewer, amendment_id: int
) -> tuple[Proposal, ProposalAmendment]:
    """The proposal, locked, and the amendment read again under that lock: a decision made
    meanwhile by someone else is seen, not overwritten."""
    rules.require_person(viewer)
    found = await visible_amendment(session, viewer, amendment_id)
    proposal = await visible_proposal(session, viewer, found.proposal_id, lock=True)
    sponsors = frozenset(
        await session.scalars(
            select(ProposalSponsor.organization_id).where(
                ProposalSponsor.proposal_id == proposal.id
            )
        )
    )
    rules.require_amendment_decider(viewer, proposal.created_by_id, sponsors)
    amendment = await visible_amendment(session, viewer, amendment_id)
    if amendment.status is not AmendmentStatus.PENDING:
        raise InputError(
            "amendmentId",
            Code.AMENDMENT_DECIDED,
            f"This amendment was {amendment.status.value.lower()} already.",
        )
    return proposal, amendment


def _decide(
    amendment: ProposalAmendment, viewer: Viewer, status: AmendmentStatus, now: datetime
) -> None:
    amendment.status = status
    amendment.decided_by_id = viewer.person_id
    amendment.decided_at = amendment.updated_at = now


def _require_editable(proposal: Proposal) -> None:
    if proposal.status not in EDITABLE:
        raise InputError(
            "proposalId",
            Code.TEXT_FROZEN,
            "The text is amended in DRAFT or DISCUSSION only: it froze when voting opened.",
        )


def _amending_seat(viewer: Viewer, seat_id: int | None) -> int:
    if seat_id is not None:
        if seat_id not in viewer.seat_ids:
            raise InputError("seatId", Code.NOT_ELIGIBLE, "You hold no such seat.")
        return seat_id
    if len(viewer.seat_ids) > 1:
        raise InputError("seatId", Code.SEAT_REQUIRED, "Name the seat you amend for.")
    (only,) = viewer.seat_ids
    return only


def _body(body: str) -> str:
    cleaned = (body or "").strip()
    if not cleaned:
        raise InputError("body", Code.REQUIRED, "Write the text the amendment proposes.")
    if len(cleaned) > BODY_LIMIT:
        raise InputError("body", Code.TOO_LONG, f"Keep the text under {BODY_LIMIT} characters.")
    return cleaned


def _rationale(rationale: str) -> str:
    cleaned = (rationale or "").strip()
    if not cleaned:
        raise InputError("rationale", Code.REQUIRED, "Say briefly why.")
    if len(cleaned) > RATIONALE_LIMIT:
        raise InputError("rationale", Code.TOO_LONG, f"Keep it under {RATIONALE_LIMIT}.")
    return cleaned

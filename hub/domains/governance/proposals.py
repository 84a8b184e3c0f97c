"""Proposals: written by admins and committee members, discussed, then voted on.

Status moves DRAFT <-> DISCUSSION, and either to WITHDRAWN, through `update_proposal`;
DISCUSSION -> VOTING through `voting.open_voting`; VOTING -> ADOPTED or REJECTED when voting
closes. The text is frozen once voting opens.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, delete, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from hub.access.auth.viewer import Viewer
from hub.access.permissions import governance as rules
from hub.common.errors import InputError
from hub.common.unset import UNSET, Maybe, is_set
from hub.domains.governance import versions
from hub.domains.governance.errors import GovernanceErrorCode as Code
from hub.domains.governance.events import record_event
from hub.domains.governance.tally import Result
from hub.domains.sync import tombstones
from hub.infrastructure.models import Convening, Organization, Proposal, ProposalSponsor
from hub.infrastructure.models.governance import GovernanceAction, ProposalStatus

TITLE_LIMIT = 300
SUMMARY_LIMIT = 2_000
BODY_LIMIT = 100_000
CREATION_KEY_LIMIT = 64
EDITABLE = rules.TEXT_EDITABLE
STATUS_MOVES: dict[ProposalStatus, tuple[ProposalStatus, ...]] = {
    ProposalStatus.DRAFT: (ProposalStatus.DISCUSSION, ProposalStatus.WITHDRAWN),
    ProposalStatus.DISCUSSION: (ProposalStatus.DRAFT, ProposalStatus.WITHDRAWN),
}


@dataclass
class ProposalChanges:
    """What to set on a proposal; fields left UNSET keep their value."""

    title: Maybe[str] = UNSET
    summary: Maybe[str] = UNSET
    body: Maybe[str] = UNSET
    sponsor_organization_ids: Maybe[list[int]] = UNSET
    origin_convening_id: Maybe[int | None] = UNSET
    status: Maybe[ProposalStatus] = UNSET

    def given(self) -> dict[str, Any]:
        return {
            f.name: getattr(self, f.name) for f in fields(self) if is_set(getattr(self, f.name))
        }


def visible_proposals(viewer: Viewer) -> Select[Proposal]:
    return select(Proposal).where(rules.proposal_rows(viewer))


def read_rows(viewer: Viewer, outcomes: Mapping[int, Result]) -> ColumnElement[bool]:
    """The proposals the viewer may read: `proposal_rows`, and the windows past their close
    whose outcome (`outcomes`, hub/domains/governance/voting.py `read_outcomes`) they may see though
    the stored VOTING is hidden from them."""
    shown = [
        pk
        for pk, result in outcomes.items()
        if rules.may_see_status(viewer, ProposalStatus(result.outcome))
    ]
    visible = rules.proposal_rows(viewer)
    return or_(visible, Proposal.id.in_(shown)) if shown else visible


def reads_as(status: ProposalStatus, outcomes: Mapping[int, Result]) -> ColumnElement[bool]:
    """The proposals that read as `status`: those storing it, except the windows past their
    close, which read as their outcome (`outcomes`) before it is stored."""
    stored = Proposal.status == status
    if outcomes:
        stored = stored & Proposal.id.not_in(list(outcomes))
    matching = [pk for pk, result in outcomes.items() if result.outcome == status.value]
    return or_(stored, Proposal.id.in_(matching)) if matching else stored


async def visible_proposal(
    session: AsyncSession, viewer: Viewer, proposal_id: int, *, lock: bool = False
) -> Proposal:
    """The proposal, freshly read (and with `lock`, locked for this transaction), or a payload
    error when it does not exist or the viewer may not see it: the two look the same."""
    statement = visible_proposals(viewer).where(Proposal.id == proposal_id)
    if lock:
        statement = statement.with_for_update()
    found = await session.scalar(statement.execution_options(populate_existing=True))
    if found is None:
        raise InputError("proposalId", Code.UNKNOWN_PROPOSAL, "No proposal with that id.")
    return found


async def create_proposal(
    session: AsyncSession,
    viewer: Viewer,
    changes: ProposalChanges,
    *,
    now: datetime,
    creation_key: str | None = None,
) -> Proposal:
    """A DRAFT proposal. With `creation_key` (a create form's own key), the writer's second
    submission of the same form answers the proposal the first one made, writing nothing."""
    rules.require_proposal_writer(viewer)
    if not is_set(changes.title):
        raise InputError("title", Code.REQUIRED, "Give the proposal a title.")
    key = _creation_key(creation_key)
    made = await _made_with(session, viewer, key)
    if made is not None:
        return made
    proposal = Proposal(
        created_by_id=viewer.person_id, status=ProposalStatus.DRAFT, creation_key=key
    )
    await _apply(session, proposal, changes, creating=True)
    proposal.created_at = proposal.updated_at = now
    if not await _inserted(session, proposal):
        # The same form's other submission made it a moment ago.
        made = await _made_with(session, viewer, key)
        assert made is not None
        return made
    await _replace_sponsors(session, proposal, changes)
    await record_event(
        session, GovernanceAction.PROPOSAL_CREATED, now=now, actor=viewer, proposal_id=proposal.id
    )
    return proposal


def _creation_key(given: str | None) -> str | None:
    key = (given or "").strip()
    if len(key) > CREATION_KEY_LIMIT:
        raise InputError(
            "idempotencyKey", Code.TOO_LONG, f"Keep the key under {CREATION_KEY_LIMIT} characters."
        )
    return key or None


async def _made_with(session: AsyncSession, viewer: Viewer, key: str | None) -> Proposal | None:
    if key is None:
        return None
    statement = select(Proposal).where(
        Proposal.created_by_id == viewer.person_id, Proposal.creation_key == key
    )
    return await session.scalar(statement.execution_options(populate_existing=True))


async def _inserted(session: AsyncSession, proposal: Proposal) -> bool:
    """Inserts the proposal; False when its creation key was taken meanwhile (the unique
    index refused it: the savepoint undoes only this insert)."""
    try:
        async with session.begin_nested():
            session.add(proposal)
            await session.flush()
    except IntegrityError:
        if proposal.creation_key is None:
            raise
        return False
    return True


async def update_proposal(
    session: AsyncSession,
    viewer: Viewer,
    proposal_id: int,
    changes: ProposalChanges,
    *,
    now: datetime,
) -> Proposal:
    rules.require_proposal_writer(viewer)
    proposal = await visible_proposal(session, viewer, proposal_id, lock=True)
    previous_status, previous_body = proposal.status, proposal.body
    changed = await _apply(session, proposal, changes, creating=False)
    if await _sponsors_change(session, proposal, changes):
        changed.add("sponsor_organization_ids")
    if not changed:
        return proposal  # the form as it stands, sent again: nothing is written
    proposal.updated_at = now
    await session.flush()
    if proposal.body != previous_body:
        await versions.record_new_text(
            session, proposal, previous_body, actor_id=viewer.person_id, now=now
        )
    if "sponsor_organization_ids" in changed:
        await _replace_sponsors(session, proposal, changes)
    await _record_update(session, viewer, proposal, previous_status, changed, now=now)
    if proposal.status != previous_status:
        await tombstones.proposal_status_changed(session, proposal, previous_status)
    return proposal


async def _sponsors_change(
    session: AsyncSession, proposal: Proposal, changes: ProposalChanges
) -> bool:
    wanted = changes.sponsor_organization_ids
    if wanted is UNSET:
        return False
    current = await session.scalars(
        select(ProposalSponsor.organization_id).where(ProposalSponsor.proposal_id == proposal.id)
    )
    return set(current) != set(wanted)


async def _record_update(
    session: AsyncSession,
    viewer: Viewer,
    proposal: Proposal,
    previous_status: ProposalStatus,
    changed: set[str],
    *,
    now: datetime,
) -> None:
    text_fields = changed - {"status"}
    if text_fields:
        detail = ", ".join(sorted(text_fields))
        await record_event(
            session,
            GovernanceAction.PROPOSAL_UPDATED,
            now=now,
            actor=viewer,
            proposal_id=proposal.id,
            detail=detail,
        )
    if proposal.status != previous_status:
        await record_event(
            session,
            GovernanceAction.STATUS_CHANGED,
            now=now,
            actor=viewer,
            proposal_id=proposal.id,
            detail=f"{previous_status.value} -> {proposal.status.value}",
        )


async def _apply(
    session: AsyncSession, proposal: Proposal, changes: ProposalChanges, *, creating: bool
) -> set[str]:
    """Validates every given field first, so a refused change leaves the row untouched; the
    names of the columns whose value changed."""
    given = changes.given()
    if not creating and proposal.status not in EDITABLE and given:
        raise InputError(None, Code.TEXT_FROZEN, "A proposal's text is frozen once voting opens.")
    cleaned: dict[str, Any] = {}
    if "title" in given:
        cleaned["title"] = _text("title", given["title"], TITLE_LIMIT, required=True)
    if "summary" in given:
        cleaned["summary"] = _text("summary", given["summary"], SUMMARY_LIMIT)
    if "body" in given:
        cleaned["body"] = _text("body", given["body"], BODY_LIMIT)
    if "origin_convening_id" in given:
        cleaned["origin_convening_id"] = await _convening(session, given["origin_convening_id"])
    if "sponsor_organization_ids" in given:
        await _check_organizations(session, given["sponsor_organization_ids"])
    if "status" in given and given["status"] != proposal.status:
        cleaned["status"] = _status_move(proposal.status, given["status"])
    changed = {name for name, value in cleaned.items() if getattr(proposal, name) != value}
    for name, value in cleaned.items():
        setattr(proposal, name, value)
    return changed


def _text(field: str, value: str | None, limit: int, *, required: bool = False) -> str:
    cleaned = (value or "").strip()
    if required and not cleaned:
        raise InputError(field, Code.REQUIRED, f"Give the proposal a {field}.")
    if len(cleaned) > limit:
        raise InputError(field, Code.TOO_LONG, f"Keep the {field} under {limit} characters.")
    return cleaned


def _status_move(current: ProposalStatus, wanted: ProposalStatus) -> ProposalStatus:
    if wanted not in STATUS_MOVES.get(current, ()):
        raise InputError(
            "status",
            Code.INVALID_STATUS_CHANGE,
            f"A {current.value} proposal cannot become {wanted.value} this way.",
        )
    return wanted


async def _convening(session: AsyncSession, convening_id: int | None) -> int | None:
    if convening_id is not None and await session.get(Convening, convening_id) is None:
        raise InputError("originConveningId", Code.UNKNOWN_CONVENING, "No convening has that id.")
    return convening_id


async def _check_organizations(session: AsyncSession, organization_ids: list[int]) -> None:
    wanted = set(organization_ids)
    found = set(await session.scalars(select(Organization.id).where(Organization.id.in_(wanted))))
    if found != wanted:
        raise InputError(
            "sponsorOrganizationIds", Code.UNKNOWN_ORGANIZATION, "No organization has that id."
        )


async def _replace_sponsors(
    session: AsyncSession, proposal: Proposal, changes: ProposalChanges
) -> None:
    sponsors = changes.sponsor_organization_ids
    if sponsors is UNSET:
        return
    await session.execute(delete(ProposalSponsor).where(ProposalSponsor.proposal_id == proposal.id))
    session.add_all(
        ProposalSponsor(proposal_id=proposal.id, organization_id=organization_id)
        for organization_id in dict.fromkeys(sponsors)
    )
    await session.flush()

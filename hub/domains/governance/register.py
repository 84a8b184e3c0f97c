"""The decision register: every proposal whose vote closed ADOPTED or REJECTED, and the
follow-up actions its decision asks of organizations.

Admins and the proposal's sponsors add and update actions, on decided proposals only; every
change is written to the admins' audit trail in the same transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.access.auth.viewer import Viewer
from hub.access.permissions import governance as rules
from hub.common.errors import InputError
from hub.common.unset import UNSET, Maybe, is_set
from hub.domains.governance.errors import GovernanceErrorCode as Code
from hub.domains.governance.proposals import visible_proposal
from hub.domains.governance.tally import Result
from hub.infrastructure.audit import record_audit
from hub.infrastructure.models import FollowUpAction, Organization, Proposal, ProposalSponsor
from hub.infrastructure.models.governance import ProposalStatus
from hub.infrastructure.models.register import ActionStatus

WHAT_LIMIT = 500
NOTES_LIMIT = 4_000
ADDED = "FOLLOW_UP_ACTION_ADDED"
UPDATED = "FOLLOW_UP_ACTION_UPDATED"


@dataclass(frozen=True)
class ActionChanges:
    """What an add sets (`what` and `organization_id` required) or an update changes."""

    what: Maybe[str] = UNSET
    organization_id: Maybe[int] = UNSET
    due_on: Maybe[date | None] = UNSET
    status: Maybe[str] = UNSET
    notes: Maybe[str] = UNSET


def decided_proposals(
    viewer: Viewer, outcomes: Mapping[int, Result] | None = None
) -> Select[Proposal]:
    """The register's entries the viewer may see (ordered by REGISTER_ORDER: as decided),
    with the windows past their close that read as decided (`outcomes`, see
    hub/domains/governance/voting.py `read_outcomes`) before their outcome is stored."""
    shown = [
        pk
        for pk, result in (outcomes or {}).items()
        if rules.may_see_in_register(viewer, ProposalStatus(result.outcome))
    ]
    entries = rules.register_rows(viewer)
    return select(Proposal).where(or_(entries, Proposal.id.in_(shown)) if shown else entries)


# A decision read before it is stored is placed at its window's end, where the close puts it.
REGISTER_ORDER = (
    func.coalesce(Proposal.closed_at, Proposal.voting_closes_at).label("decided_at"),
    Proposal.id,
)


def visible_actions(viewer: Viewer) -> Select[FollowUpAction]:
    return select(FollowUpAction).where(rules.follow_up_rows(viewer))


def actions_due(viewer: Viewer, on_or_before: date) -> Select[FollowUpAction]:
    """OPEN actions due on or before a day (a meeting's agenda shows them), the most overdue
    first (ordered by ACTIONS_DUE_ORDER)."""
    return visible_actions(viewer).where(
        FollowUpAction.status == ActionStatus.OPEN, FollowUpAction.due_on <= on_or_before
    )


ACTIONS_DUE_ORDER = (FollowUpAction.due_on, FollowUpAction.id)


async def add_action(
    session: AsyncSession,
    viewer: Viewer,
    proposal_id: int,
    changes: ActionChanges,
    *,
    now: datetime,
) -> FollowUpAction:
    proposal = await _decided_for_writer(session, viewer, proposal_id)
    if not is_set(changes.what):
        raise InputError("what", Code.REQUIRED, "Say what is to be done.")
    if not is_set(changes.organization_id):
        raise InputError("organizationId", Code.REQUIRED, "Name the organization that owns it.")
    action = FollowUpAction(
        proposal_id=proposal.id,
        status=ActionStatus.OPEN,
        notes="",
        created_by_id=viewer.person_id,
        created_at=now,
    )
    await _apply(session, action, changes, now)
    session.add(action)
    await session.flush()
    await _audit(session, viewer, ADDED, action, changes, now)
    return action


async def update_action(
    session: AsyncSession,
    viewer: Viewer,
    action_id: int,
    changes: ActionChanges,
    *,
    now: datetime,
) -> FollowUpAction:
    rules.require_person(viewer)
    statement = visible_actions(viewer).where(FollowUpAction.id == action_id)
    action = await session.scalar(statement.execution_options(populate_existing=True))
    if action is None:
        raise InputError("actionId", Code.UNKNOWN_ACTION, "No follow-up action with that id.")
    await _decided_for_writer(session, viewer, action.proposal_id)
    await _apply(session, action, changes, now)
    await session.flush()
    await _audit(session, viewer, UPDATED, action, changes, now)
    return action


async def _decided_for_writer(session: AsyncSession, viewer: Viewer, proposal_id: int) -> Proposal:
    rules.require_person(viewer)
    proposal = await visible_proposal(session, viewer, proposal_id, lock=True)
    sponsors = frozenset(
        await session.scalars(
            select(ProposalSponsor.organization_id).where(
                ProposalSponsor.proposal_id == proposal.id
            )
        )
    )
    rules.require_follow_up_writer(viewer, proposal.created_by_id, sponsors)
    if proposal.closed_at is None or proposal.status not in rules.DECIDED_STATUSES:
        raise InputError(
            "proposalId", Code.NOT_DECIDED, "Follow-up actions are for decided proposals."
        )
    return proposal


async def _apply(
    session: AsyncSession, action: FollowUpAction, changes: ActionChanges, now: datetime
) -> None:
    """Checks every given value before changing any, so a refused change leaves it whole."""
    values: dict[str, object] = {}
    if changes.what is not UNSET:
        values["what"] = _what(changes.what)
    if changes.organization_id is not UNSET:
        values["organization_id"] = await _organization(session, changes.organization_id)
    if is_set(changes.due_on):
        values["due_on"] = changes.due_on
    if changes.status is not UNSET:
        values["status"] = _status(changes.status)
    if changes.notes is not UNSET:
        values["notes"] = _notes(changes.notes)
    for name, value in values.items():
        setattr(action, name, value)
    action.updated_at = now


def _what(what: str) -> str:
    cleaned = (what or "").strip()
    if not cleaned:
        raise InputError("what", Code.REQUIRED, "Say what is to be done.")
    if len(cleaned) > WHAT_LIMIT:
        raise InputError("what", Code.TOO_LONG, f"Keep it under {WHAT_LIMIT} characters.")
    return cleaned


def _notes(notes: str) -> str:
    cleaned = (notes or "").strip()
    if len(cleaned) > NOTES_LIMIT:
        raise InputError("notes", Code.TOO_LONG, f"Keep the notes under {NOTES_LIMIT}.")
    return cleaned


def _status(status: str) -> ActionStatus:
    try:
        return ActionStatus(status)
    except ValueError:
        raise InputError(
            "status", Code.INVALID_ACTION_STATUS, "An action is OPEN, DONE or DROPPED."
        ) from None


async def _organization(session: AsyncSession, organization_id: int) -> int:
    found = await session.scalar(select(Organization.id).where(Organization.id == organization_id))
    if found is None:
        raise InputError("organizationId", Code.UNKNOWN_ORGANIZATION, "No such organization.")
    return found


async def _audit(
    session: AsyncSession,
    viewer: Viewer,
    kind: str,
    action: FollowUpAction,
    changes: ActionChanges,
    now: datetime,
) -> None:
    changed = ", ".join(f.name for f in fields(changes) if is_set(getattr(changes, f.name)))
    detail = f"action {action.id} of proposal {action.proposal_id}: {changed}"
    await record_audit(session, action=kind, actor_id=viewer.person_id, detail=detail, now=now)

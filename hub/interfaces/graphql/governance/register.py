"""The decision register as the API shows it: `decisionRegister`, each decision's follow-up
actions, and the mutations that add and update them (thin over
hub/domains/governance/register.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

import strawberry

from hub.access.permissions import governance as rules
from hub.common.errors import InputError
from hub.common.unset import UNSET
from hub.domains.governance import ballot_box, voting
from hub.domains.governance import register as register_service
from hub.domains.governance.errors import GovernanceErrorCode as Code
from hub.infrastructure import models
from hub.infrastructure.models.register import ActionStatus as ActionStatusRow
from hub.interfaces.graphql.connection import Connection, connection_of
from hub.interfaces.graphql.context import Context
from hub.interfaces.graphql.directory.loaders import OrganizationByIdLoader
from hub.interfaces.graphql.directory.types import Organization
from hub.interfaces.graphql.governance.loaders import OutcomeByProposalIdLoader, ProposalByIdLoader
from hub.interfaces.graphql.governance.types import GovernanceError, Proposal
from hub.interfaces.graphql.loader import Loader, group_by
from hub.interfaces.graphql.mutation import attempt, input_pk
from hub.interfaces.graphql.node import Node, loaded_by, register_node, to_global_id

Info = strawberry.Info[Context, None]
ACTIONS_DUE_LIMIT = 200

ActionStatus = strawberry.enum(
    ActionStatusRow, description="Where a follow-up action stands: OPEN, DONE or DROPPED."
)


class ActionByIdLoader(Loader[int, models.FollowUpAction | None]):
    async def fetch(self, keys: Sequence[int]) -> dict[int, models.FollowUpAction | None]:
        statement = register_service.visible_actions(self.context.viewer).where(
            models.FollowUpAction.id.in_(keys)
        )
        return {row.id: row for row in await self.context.session.scalars(statement)}


class ActionsByProposalIdLoader(Loader[int, list[models.FollowUpAction]]):
    async def fetch(self, keys: Sequence[int]) -> dict[int, list[models.FollowUpAction]]:
        action = models.FollowUpAction
        statement = register_service.visible_actions(self.context.viewer).where(
            action.proposal_id.in_(keys)
        )
        ordered = statement.order_by(action.due_on.is_(None), action.due_on, action.id)
        return group_by(await self.context.session.scalars(ordered), "proposal_id")

    def missing(self) -> list[models.FollowUpAction]:
        return []


@strawberry.type(
    description=(
        "What a decision asks of an organization, by when, and how it stands. Seen with its "
        "decision in the register: ADOPTED ones by everyone, REJECTED ones by members."
    )
)
class FollowUpAction(Node):
    what: str
    due_on: date | None = strawberry.field(description="The day it is due; null when open-ended.")
    status: ActionStatus  # type: ignore[valid-type]
    created_at: datetime
    updated_at: datetime
    _notes: strawberry.Private[str]
    _proposal_pk: strawberry.Private[int]
    _organization_pk: strawberry.Private[int]

    @classmethod
    def from_model(cls, model: models.FollowUpAction) -> FollowUpAction:
        return cls(
            id=to_global_id("FollowUpAction", model.id),
            what=model.what,
            due_on=model.due_on,
            status=model.status,
            created_at=model.created_at,
            updated_at=model.updated_at,
            _notes=model.notes,
            _proposal_pk=model.proposal_id,
            _organization_pk=model.organization_id,
        )

    @strawberry.field(description="Members only (null for others): how it is going, in words.")
    def notes(self, info: Info) -> str | None:
        return self._notes if rules.may_read_action_notes(info.context.viewer) else None

    @strawberry.field(description="The organization that owns it.")
    async def organization(self, info: Info) -> Organization | None:
        row = await info.context.loader(OrganizationByIdLoader).load(self._organization_pk)
        return Organization.from_model(row) if row else None

    @strawberry.field(description="The decision it follows up.")
    async def proposal(self, info: Info) -> Proposal | None:
        row = await info.context.loader(ProposalByIdLoader).load(self._proposal_pk)
        return Proposal.from_model(row) if row else None


register_node("FollowUpAction", loaded_by(ActionByIdLoader, FollowUpAction.from_model))


async def actions_of(info: Info, proposal_pk: int) -> list[FollowUpAction]:
    rows = await info.context.loader(ActionsByProposalIdLoader).load(proposal_pk)
    return [FollowUpAction.from_model(row) for row in rows]


@strawberry.type
class RegisterQuery:
    @strawberry.field(
        description=(
            "The decision register: proposals whose vote closed ADOPTED or REJECTED, in the "
            "order they were decided, each with its outcome, tally, meeting (or window) and "
            "follow-up actions. Members see every decision; peers' clients and anonymous "
            "callers see the ADOPTED ones."
        )
    )
    async def decision_register(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Proposal]:
        due = await info.context.loader(OutcomeByProposalIdLoader).every()
        statement = register_service.decided_proposals(info.context.viewer, due)
        order = register_service.REGISTER_ORDER
        return await connection_of(
            info.context, statement, order, Proposal.from_model, first, after
        )

    @strawberry.field(
        description=(
            "OPEN follow-up actions due on or before a day, the most overdue first (at most "
            f"{ACTIONS_DUE_LIMIT}): what a committee meeting on that day reviews as actions due."
        )
    )
    async def follow_up_actions_due(self, info: Info, on_or_before: date) -> list[FollowUpAction]:
        statement = register_service.actions_due(info.context.viewer, on_or_before)
        ordered = statement.order_by(*register_service.ACTIONS_DUE_ORDER).limit(ACTIONS_DUE_LIMIT)
        return [
            FollowUpAction.from_model(row) for row in await info.context.session.scalars(ordered)
        ]


@strawberry.input(description="A follow-up action for a decided proposal; it starts OPEN.")
class AddFollowUpActionInput:
    proposal_id: strawberry.ID
    what: str
    organization_id: strawberry.ID
    due_on: date | None = None
    notes: str = ""


@strawberry.input(description="Changes to a follow-up action; fields left out stay as they are.")
class UpdateFollowUpActionInput:
    action_id: strawberry.ID
    what: str | None = strawberry.UNSET
    organization_id: strawberry.ID | None = strawberry.UNSET
    due_on: date | None = strawberry.UNSET
    status: ActionStatus | None = strawberry.UNSET  # type: ignore[valid-type]
    notes: str | None = strawberry.UNSET


@strawberry.type
class FollowUpActionPayload:
    action: FollowUpAction | None
    errors: list[GovernanceError]


def _organization_pk(global_id: str) -> int:
    return input_pk(global_id, "Organization", "organizationId", Code.UNKNOWN_ORGANIZATION)


def _given(value: Any) -> Any:
    """A value left out (or null, for a field that cannot be null) changes nothing."""
    return UNSET if value is strawberry.UNSET or value is None else value


def _update(input: UpdateFollowUpActionInput) -> register_service.ActionChanges:
    organization = _given(input.organization_id)
    status = _given(input.status)
    return register_service.ActionChanges(
        what=_given(input.what),
        organization_id=_organization_pk(organization) if organization else UNSET,
        due_on=UNSET if input.due_on is strawberry.UNSET else input.due_on,
        status=status.value if status else UNSET,
        notes=_given(input.notes),
    )


def _payload(action: models.FollowUpAction | None, errors: list[InputError]) -> Any:
    return FollowUpActionPayload(
        action=FollowUpAction.from_model(action) if action else None,
        errors=[GovernanceError(field=e.field, code=e.code, message=e.message) for e in errors],  # type: ignore[arg-type]
    )


@strawberry.type
class RegisterMutation:
    @strawberry.mutation(
        description=(
            "Adds a follow-up action to a decided proposal: admins and its sponsors. Refused "
            "with a code, changing nothing, when the text is empty, the organization unknown "
            "or the proposal not decided."
        )
    )
    async def add_follow_up_action(
        self, info: Info, input: AddFollowUpActionInput
    ) -> FollowUpActionPayload:
        context = info.context

        async def add() -> Any:
            proposal = input_pk(input.proposal_id, "Proposal", "proposalId", Code.UNKNOWN_PROPOSAL)
            changes = register_service.ActionChanges(
                what=input.what,
                organization_id=_organization_pk(input.organization_id),
                due_on=input.due_on,
                notes=input.notes,
            )
            now = datetime.now(UTC)
            # A decision that reads as decided may be followed up: its close is stored first.
            await voting.close_due_proposals(
                context.session,
                ballot_key=ballot_box.key_for(context.settings),
                now=now,
                proposal_ids=[proposal],
            )
            return await register_service.add_action(
                context.session, context.viewer, proposal, changes, now=now
            )

        return _payload(*await attempt(context, add))  # type: ignore[no-any-return]

    @strawberry.mutation(
        description=(
            "Changes a follow-up action (its text, owner, due date, status or notes): admins "
            "and its proposal's sponsors."
        )
    )
    async def update_follow_up_action(
        self, info: Info, input: UpdateFollowUpActionInput
    ) -> FollowUpActionPayload:
        context = info.context

        async def update() -> Any:
            pk = input_pk(input.action_id, "FollowUpAction", "actionId", Code.UNKNOWN_ACTION)
            return await register_service.update_action(
                context.session, context.viewer, pk, _update(input), now=datetime.now(UTC)
            )

        return _payload(*await attempt(context, update))  # type: ignore[no-any-return]

"""The committee's queries: proposals, the committee's seats, and the audit trail."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any

import strawberry
from sqlalchemy import SQLColumnExpression, select

from hub.access.permissions import governance as rules
from hub.domains.governance import events as event_service
from hub.domains.governance import proposals as proposal_service
from hub.domains.governance import seats as seat_service
from hub.infrastructure.models import GovernanceEvent as EventRow
from hub.infrastructure.models import Proposal as ProposalRow
from hub.infrastructure.models.governance import GovernanceAction
from hub.infrastructure.models.governance import ProposalStatus as StatusRow
from hub.interfaces.graphql.connection import Connection, connection_of
from hub.interfaces.graphql.context import Context
from hub.interfaces.graphql.governance.enums import ProposalStatus
from hub.interfaces.graphql.governance.loaders import OutcomeByProposalIdLoader
from hub.interfaces.graphql.governance.types import CommitteeSeat, GovernanceEvent, Proposal
from hub.interfaces.graphql.sync.ordering import UPDATED_SINCE, changed_since, changes_page_order

Info = strawberry.Info[Context, None]


@strawberry.type
class GovernanceQuery:
    @strawberry.field(
        description=(
            "Proposals the viewer may see, oldest first: see `ProposalStatus` for who sees "
            "which. A window past its close reads as closed, under its outcome (see "
            "`status`). With `updatedSince`: changed proposals, not the withdrawn ones (see "
            "`deletedSince`)."
        )
    )
    async def proposals(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        status: ProposalStatus | None = None,
        updated_since: Annotated[
            datetime | None, strawberry.argument(description=UPDATED_SINCE)
        ] = None,
    ) -> Connection[Proposal]:
        context = info.context
        outcomes = context.loader(OutcomeByProposalIdLoader)
        # A window past its close reads as its outcome: found under it, not under VOTING.
        reading = status is not None or not rules.may_see_status(context.viewer, StatusRow.VOTING)
        due = await outcomes.every() if reading else {}
        statement = select(ProposalRow).where(proposal_service.read_rows(context.viewer, due))
        if status is not None:
            statement = statement.where(proposal_service.reads_as(status, due))
        order: Sequence[SQLColumnExpression[Any]] = [ProposalRow.created_at, ProposalRow.id]
        if updated_since is not None:
            statement = statement.where(*changed_since(ProposalRow, updated_since))
            order = changes_page_order(ProposalRow, after)
        return await connection_of(context, statement, order, Proposal.from_model, first, after)

    @strawberry.field(description="The Coordinating Committee: its active seats, by organization.")
    async def committee(self, info: Info) -> list[CommitteeSeat]:
        statement = seat_service.committee_seats(info.context.viewer)
        rows = await info.context.session.scalars(statement)
        return [CommitteeSeat.from_model(row) for row in rows]

    @strawberry.field(
        description=(
            "Every committee seat, held seats first, then vacated ones (which keep their past "
            "votes), each by organization name: the admins' roster. Admins only."
        )
    )
    async def committee_roster(self, info: Info) -> list[CommitteeSeat]:
        statement = seat_service.committee_roster(info.context.viewer)
        rows = await info.context.session.scalars(statement)
        return [CommitteeSeat.from_model(row) for row in rows]

    @strawberry.field(
        description="Whether you may write proposals: admins and Coordinating Committee members."
    )
    def viewer_may_write_proposals(self, info: Info) -> bool:
        return rules.may_write_proposals(info.context.viewer)

    @strawberry.field(
        description="The committee's audit trail, oldest first (`newestFirst` turns it round), "
        "of one `action` when given: admins and committee only."
    )
    async def governance_events(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        action: GovernanceAction | None = None,
        newest_first: bool | None = False,
    ) -> Connection[GovernanceEvent]:
        statement = event_service.visible_events(info.context.viewer)
        if action is not None:
            statement = statement.where(EventRow.action == action)
        # Keyset pages run ascending: newest first is ascending by the negated id.
        order = [(-EventRow.id).label("newest") if newest_first else EventRow.id]
        return await connection_of(
            info.context, statement, order, GovernanceEvent.from_model, first, after
        )

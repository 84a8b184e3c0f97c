"""Proxies as the API shows them, and the mutations that give and revoke them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import strawberry

from hub.common.errors import InputError
from hub.domains.governance import proxies as proxy_service
from hub.domains.governance.errors import GovernanceErrorCode as Code
from hub.infrastructure import models
from hub.interfaces.graphql.context import Context
from hub.interfaces.graphql.convenings.loaders import ConveningByIdLoader
from hub.interfaces.graphql.convenings.types import Convening
from hub.interfaces.graphql.directory.loaders import PersonByIdLoader
from hub.interfaces.graphql.directory.types import Person
from hub.interfaces.graphql.governance.loaders import ProposalByIdLoader, SeatByIdLoader
from hub.interfaces.graphql.governance.types import CommitteeSeat, GovernanceError, Proposal
from hub.interfaces.graphql.loader import Loader, group_by
from hub.interfaces.graphql.mutation import attempt, input_pk
from hub.interfaces.graphql.node import Node, loaded_by, register_node, to_global_id

Info = strawberry.Info[Context, None]


class ProxyByIdLoader(Loader[int, models.Proxy | None]):
    async def fetch(self, keys: Sequence[int]) -> dict[int, models.Proxy | None]:
        statement = proxy_service.visible_proxies(self.context.viewer).where(
            models.Proxy.id.in_(keys)
        )
        return {row.id: row for row in await self.context.session.scalars(statement)}


class ProxiesByMeetingIdLoader(Loader[int, list[models.Proxy]]):
    async def fetch(self, keys: Sequence[int]) -> dict[int, list[models.Proxy]]:
        statement = proxy_service.visible_proxies(self.context.viewer).where(
            models.Proxy.convening_id.in_(keys)
        )
        rows = await self.context.session.scalars(statement.order_by(models.Proxy.id))
        return group_by(rows, "convening_id")

    def missing(self) -> list[models.Proxy]:
        return []


@strawberry.type(
    description=(
        "A seat's vote given in writing to another seat's holder, for one meeting or one "
        "proposal; used only when neither the seat's holder nor its alternate votes. Seen by "
        "admins and committee members."
    )
)
class Proxy(Node):
    granted_at: datetime
    revoked_at: datetime | None
    seat_pk: strawberry.Private[int]
    to_seat_pk: strawberry.Private[int]
    holder_pk: strawberry.Private[int]
    meeting_pk: strawberry.Private[int | None]
    proposal_pk: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, model: models.Proxy) -> Proxy:
        return cls(
            id=to_global_id("Proxy", model.id),
            granted_at=model.created_at,
            revoked_at=model.revoked_at,
            seat_pk=model.seat_id,
            to_seat_pk=model.to_seat_id,
            holder_pk=model.holder_id,
            meeting_pk=model.convening_id,
            proposal_pk=model.proposal_id,
        )

    @strawberry.field(description="The seat that gives its vote.")
    async def seat(self, info: Info) -> CommitteeSeat | None:
        row = await info.context.loader(SeatByIdLoader).load(self.seat_pk)
        return CommitteeSeat.from_model(row) if row else None

    @strawberry.field(description="The seat whose holder carries it.")
    async def to_seat(self, info: Info) -> CommitteeSeat | None:
        row = await info.context.loader(SeatByIdLoader).load(self.to_seat_pk)
        return CommitteeSeat.from_model(row) if row else None

    @strawberry.field(description="Who carries it: that seat's holder when it was given.")
    async def holder(self, info: Info) -> Person | None:
        row = await info.context.loader(PersonByIdLoader).load(self.holder_pk)
        return Person.from_model(row) if row else None

    @strawberry.field(description="The meeting it is given for, if for a meeting.")
    async def meeting(self, info: Info) -> Convening | None:
        if self.meeting_pk is None:
            return None
        row = await info.context.loader(ConveningByIdLoader).load(self.meeting_pk)
        return Convening.from_model(row) if row else None

    @strawberry.field(description="The proposal it is given for, if for a proposal.")
    async def proposal(self, info: Info) -> Proposal | None:
        if self.proposal_pk is None:
            return None
        row = await info.context.loader(ProposalByIdLoader).load(self.proposal_pk)
        return Proposal.from_model(row) if row else None


register_node("Proxy", loaded_by(ProxyByIdLoader, Proxy.from_model))


@strawberry.input(
    description=(
        "A proxy from a seat you hold or alternate (admins: any seat) to another seat's "
        "holder, for one meeting (`meetingId`) or one proposal (`proposalId`), before its vote "
        "opens."
    )
)
class GrantProxyInput:
    seat_id: strawberry.ID
    to_seat_id: strawberry.ID
    meeting_id: strawberry.ID | None = None
    proposal_id: strawberry.ID | None = None


@strawberry.input
class RevokeProxyInput:
    proxy_id: strawberry.ID


@strawberry.type
class ProxyPayload:
    proxy: Proxy | None
    errors: list[GovernanceError]


def _seat_pk(global_id: str, field: str) -> int:
    return input_pk(global_id, "CommitteeSeat", field, Code.UNKNOWN_SEAT)


def _optional_pk(global_id: str | None, type_name: str, field: str, code: Code) -> int | None:
    return None if global_id is None else input_pk(global_id, type_name, field, code)


def _grant(input: GrantProxyInput) -> proxy_service.ProxyGrant:
    return proxy_service.ProxyGrant(
        seat_id=_seat_pk(input.seat_id, "seatId"),
        to_seat_id=_seat_pk(input.to_seat_id, "toSeatId"),
        meeting_id=_optional_pk(input.meeting_id, "Convening", "meetingId", Code.NOT_A_MEETING),
        proposal_id=_optional_pk(
            input.proposal_id, "Proposal", "proposalId", Code.UNKNOWN_PROPOSAL
        ),
    )


def _payload(proxy: models.Proxy | None, errors: list[InputError]) -> ProxyPayload:
    return ProxyPayload(
        proxy=Proxy.from_model(proxy) if proxy else None,
        errors=[GovernanceError(field=e.field, code=e.code, message=e.message) for e in errors],  # type: ignore[arg-type]
    )


@strawberry.type
class ProxyMutation:
    @strawberry.mutation(
        description=(
            "Gives a seat's vote to another seat's holder for one meeting or one proposal. "
            "Refused (with a code, changing nothing) to one's own seat, to a vacant seat, "
            "beyond HUB_MAX_PROXIES_PER_PERSON for the carrier, twice for the same meeting or "
            "proposal, or once its vote has opened."
        )
    )
    async def grant_proxy(self, info: Info, input: GrantProxyInput) -> ProxyPayload:
        context = info.context

        async def grant() -> Any:
            return await proxy_service.grant_proxy(
                context.session,
                context.viewer,
                _grant(input),
                max_per_person=context.settings.max_proxies_per_person,
                now=datetime.now(UTC),
            )

        return _payload(*await attempt(context, grant))

    @strawberry.mutation(
        description="Revokes a proxy, until its vote opens. Its seat's holder or alternate."
    )
    async def revoke_proxy(self, info: Info, input: RevokeProxyInput) -> ProxyPayload:
        context = info.context

        async def revoke() -> Any:
            pk = input_pk(input.proxy_id, "Proxy", "proxyId", Code.UNKNOWN_PROXY)
            return await proxy_service.revoke_proxy(
                context.session, context.viewer, pk, now=datetime.now(UTC)
            )

        return _payload(*await attempt(context, revoke))

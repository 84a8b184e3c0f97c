"""The strawberry schema: every domain's queries and mutations, exported to schema.graphql."""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from hub.interfaces.graphql.audit.queries import AuditQuery
from hub.interfaces.graphql.calendar.mutations import CalendarMutation
from hub.interfaces.graphql.calendar.queries import CalendarQuery
from hub.interfaces.graphql.clients.mutations import ApiClientMutation
from hub.interfaces.graphql.clients.queries import ApiClientQuery
from hub.interfaces.graphql.context import Context
from hub.interfaces.graphql.convenings.mutations import ConveningMutation
from hub.interfaces.graphql.convenings.queries import ConveningQuery
from hub.interfaces.graphql.convenings.scheduling import SchedulingMutation, SchedulingQuery
from hub.interfaces.graphql.credentials.mutations import CredentialMutation
from hub.interfaces.graphql.credentials.queries import CredentialQuery
from hub.interfaces.graphql.directory.importing import PeopleImportMutation, PeopleImportQuery
from hub.interfaces.graphql.directory.mutations import DirectoryMutation
from hub.interfaces.graphql.directory.queries import DirectoryQuery
from hub.interfaces.graphql.directory.records import DirectoryRecordsMutation
from hub.interfaces.graphql.extensions import schema_extensions
from hub.interfaces.graphql.governance.meetings import MeetingMutation, MeetingQuery
from hub.interfaces.graphql.governance.mutations import DiscussionMutation, GovernanceMutation
from hub.interfaces.graphql.governance.proxies import ProxyMutation
from hub.interfaces.graphql.governance.queries import GovernanceQuery
from hub.interfaces.graphql.governance.receipts import ReceiptQuery
from hub.interfaces.graphql.governance.register import RegisterMutation, RegisterQuery
from hub.interfaces.graphql.guests.mutations import GuestMutation
from hub.interfaces.graphql.guests.queries import GuestQuery
from hub.interfaces.graphql.mutation import each_mutation_its_own_unit
from hub.interfaces.graphql.node import Node, resolve_node
from hub.interfaces.graphql.outbox.mutations import OutboxMutation
from hub.interfaces.graphql.outbox.queries import OutboxQuery
from hub.interfaces.graphql.profile.mutations import ProfileMutation
from hub.interfaces.graphql.profile.queries import ProfileQuery
from hub.interfaces.graphql.rate_limit import RateLimitQuery
from hub.interfaces.graphql.scalars import SCALAR_OVERRIDES
from hub.interfaces.graphql.suppressions.mutations import SuppressionMutation
from hub.interfaces.graphql.suppressions.queries import SuppressionQuery
from hub.interfaces.graphql.sync.queries import SyncQuery
from hub.interfaces.graphql.webhooks.mutations import WebhookMutation
from hub.interfaces.graphql.webhooks.queries import WebhookQuery


@strawberry.type
class NodeQuery:
    @strawberry.field(description="Any object by its global id; null if it is not visible to you.")
    async def node(self, info: strawberry.Info[Context, None], id: strawberry.ID) -> Node | None:
        return await resolve_node(info.context, id)  # type: ignore[no-any-return]


@strawberry.type
class Query(
    DirectoryQuery,
    ConveningQuery,
    SchedulingQuery,
    GovernanceQuery,
    MeetingQuery,
    RegisterQuery,
    ReceiptQuery,
    NodeQuery,
    RateLimitQuery,
    CalendarQuery,
    OutboxQuery,
    SuppressionQuery,
    SyncQuery,
    WebhookQuery,
    CredentialQuery,
    ProfileQuery,
    GuestQuery,
    ApiClientQuery,
    AuditQuery,
    PeopleImportQuery,
):
    pass


@each_mutation_its_own_unit
@strawberry.type
class Mutation(
    DirectoryMutation,
    DirectoryRecordsMutation,
    ConveningMutation,
    SchedulingMutation,
    GovernanceMutation,
    DiscussionMutation,
    MeetingMutation,
    ProxyMutation,
    RegisterMutation,
    CalendarMutation,
    WebhookMutation,
    SuppressionMutation,
    CredentialMutation,
    ProfileMutation,
    GuestMutation,
    OutboxMutation,
    ApiClientMutation,
    PeopleImportMutation,
):
    pass


class HubSchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # ErrorShaping logs unexpected errors with their detail; expected refusals and
        # invalid documents are the caller's business and would only flood the log.
        return None


def build_schema(**overrides: Any) -> strawberry.Schema:
    return HubSchema(
        query=Query,
        mutation=Mutation,
        extensions=schema_extensions(),
        config=StrawberryConfig(disable_field_suggestions=True),
        scalar_overrides=SCALAR_OVERRIDES,  # type: ignore[arg-type]
        **overrides,
    )


schema = build_schema()

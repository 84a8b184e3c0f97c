"""One entry of the admins' audit trail."""

from __future__ import annotations

from datetime import datetime

import strawberry
from sqlalchemy import select

from hub.access.permissions.audit import may_read_audit_trail
from hub.infrastructure import models
from hub.interfaces.graphql.context import Context
from hub.interfaces.graphql.directory.loaders import PersonByIdLoader
from hub.interfaces.graphql.directory.types import Person
from hub.interfaces.graphql.node import Node, register_node, to_global_id

Info = strawberry.Info[Context, None]


@strawberry.type(
    description="What an admin changed that is not the committee's business (lifting a "
    "suppression, registering an API client, retrying a message, ...). Admins only."
)
class AuditEvent(Node):
    action: str = strawberry.field(description="Such as EMAIL_SUPPRESSION_LIFTED.")
    detail: str
    created_at: datetime
    actor_pk: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, model: models.AuditEvent) -> AuditEvent:
        return cls(
            id=to_global_id("AuditEvent", model.id),
            action=model.action,
            detail=model.detail,
            created_at=model.created_at,
            actor_pk=model.actor_id,
        )

    @strawberry.field(description="Who acted; null on the command line, or a person removed.")
    async def actor(self, info: Info) -> Person | None:
        if self.actor_pk is None:
            return None
        row = await info.context.loader(PersonByIdLoader).load(self.actor_pk)
        return Person.from_model(row) if row else None


async def _audit_node(context: Context, pk: int) -> AuditEvent | None:
    if not may_read_audit_trail(context.viewer):
        return None
    row = await context.session.scalar(select(models.AuditEvent).where(models.AuditEvent.id == pk))
    return AuditEvent.from_model(row) if row else None


register_node("AuditEvent", _audit_node)

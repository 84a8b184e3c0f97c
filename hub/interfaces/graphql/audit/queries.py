"""`auditEvents` (newest first) and `auditActions`: admins only."""

from __future__ import annotations

import strawberry

from hub.access.permissions.audit import require_audit_reader
from hub.infrastructure.audit import audit_actions, audit_trail
from hub.infrastructure.models import AuditEvent as AuditRow
from hub.interfaces.graphql.audit.types import AuditEvent
from hub.interfaces.graphql.connection import Connection, connection_of
from hub.interfaces.graphql.context import Context

Info = strawberry.Info[Context, None]


@strawberry.type
class AuditQuery:
    @strawberry.field(
        description="The admins' audit trail, newest first; `action` keeps one kind. Admins only."
    )
    async def audit_events(
        self,
        info: Info,
        action: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[AuditEvent]:
        require_audit_reader(info.context.viewer)
        # Keyset pages run ascending: newest first is ascending by the negated id.
        order = [(-AuditRow.id).label("newest")]
        return await connection_of(
            info.context, audit_trail(action), order, AuditEvent.from_model, first, after
        )

    @strawberry.field(description="The kinds of entry the audit trail holds. Admins only.")
    async def audit_actions(self, info: Info) -> list[str]:
        require_audit_reader(info.context.viewer)
        return list(await info.context.session.scalars(audit_actions()))

"""An address the hub stops mailing, and the mistakes a lift can make."""

from __future__ import annotations

from datetime import datetime

import strawberry
from sqlalchemy import select

from hub.access.permissions.outbox import may_manage_suppressions
from hub.delivery.email.suppressions import SuppressionErrorCode
from hub.infrastructure.models import EmailSuppression as SuppressionRow
from hub.interfaces.graphql.context import Context
from hub.interfaces.graphql.errors import UserError
from hub.interfaces.graphql.node import Node, register_node, to_global_id

strawberry.enum(
    SuppressionErrorCode,
    description="INVALID_EMAIL: not an email address; NOT_SUPPRESSED: the hub mails it already; "
    "REASON_REQUIRED: say why it is lifted; REASON_TOO_LONG: keep the reason shorter.",
)


@strawberry.type(
    description="An address the hub does not mail, as SendGrid reported it. A bounce, drop "
    "or spam report stops every message; an unsubscribe stops all but transactional mail "
    "(sign-in links, news of what the person answered, voting notices). Admins only."
)
class EmailSuppression(Node):
    email: str
    reason: str = strawberry.field(
        description="SendGrid's event: bounce, dropped, spamreport, unsubscribe or "
        "group_unsubscribe."
    )
    detail: str = strawberry.field(description="SendGrid's reason and status, as reported.")
    created_at: datetime

    @classmethod
    def from_model(cls, model: SuppressionRow) -> EmailSuppression:
        return cls(
            id=to_global_id("EmailSuppression", model.id),
            email=model.email,
            reason=model.reason,
            detail=model.detail,
            created_at=model.created_at,
        )


@strawberry.type(description="A mistake in lifting a suppression.")
class SuppressionError(UserError):
    code: SuppressionErrorCode


async def _suppression_node(context: Context, pk: int) -> EmailSuppression | None:
    if not may_manage_suppressions(context.viewer):
        return None
    row = await context.session.scalar(select(SuppressionRow).where(SuppressionRow.id == pk))
    return EmailSuppression.from_model(row) if row else None


register_node("EmailSuppression", _suppression_node)

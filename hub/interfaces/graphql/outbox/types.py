"""Outgoing messages as admins see them: what went out, what is waiting, what failed."""

from __future__ import annotations

from datetime import datetime

import strawberry
from sqlalchemy import select

from hub.access.permissions.outbox import may_read_outbox
from hub.delivery.outbox.retry import OutboxErrorCode
from hub.infrastructure.models import OutboxMessage as OutboxMessageRow
from hub.infrastructure.models.outbox import Channel, OutboxStatus
from hub.interfaces.graphql.context import Context
from hub.interfaces.graphql.errors import UserError
from hub.interfaces.graphql.node import Node, register_node, to_global_id

strawberry.enum(
    OutboxStatus,
    description="PENDING waits (or waits to retry), SENDING is claimed by a worker, SENT went "
    "out, FAILED gave up, SUPPRESSED was not sent to an address that bounced or unsubscribed.",
)
strawberry.enum(Channel, description="How a message travels.")
strawberry.enum(
    OutboxErrorCode,
    description="Why a message cannot be retried: UNKNOWN_MESSAGE (no such message), "
    "ALREADY_QUEUED (it waits to go), BEING_SENT (a worker is sending it), ALREADY_SENT, "
    "SUPPRESSED (its address is suppressed).",
)


@strawberry.type(description="One message to one recipient. Admins only.")
class OutboxMessage(Node):
    channel: Channel
    kind: str
    recipient_address: str
    language: str
    subject: str | None = strawberry.field(description="Known once a delivery was attempted.")
    status: OutboxStatus
    attempts: int
    last_error: str | None
    provider_message_id: str | None = strawberry.field(description="SendGrid's X-Message-Id.")
    next_attempt_at: datetime
    sent_at: datetime | None
    created_at: datetime

    @classmethod
    def from_model(cls, model: OutboxMessageRow) -> OutboxMessage:
        return cls(
            id=to_global_id("OutboxMessage", model.id),
            channel=model.channel,
            kind=model.kind,
            recipient_address=model.recipient_address,
            language=model.language,
            subject=model.subject,
            status=model.status,
            attempts=model.attempts,
            last_error=model.last_error,
            provider_message_id=model.provider_message_id,
            next_attempt_at=model.next_attempt_at,
            sent_at=model.sent_at,
            created_at=model.created_at,
        )


@strawberry.type(description="A mistake in retrying an outbox message.")
class OutboxError(UserError):
    code: OutboxErrorCode


async def _outbox_node(context: Context, pk: int) -> OutboxMessage | None:
    if not may_read_outbox(context.viewer):
        return None
    row = await context.session.scalar(select(OutboxMessageRow).where(OutboxMessageRow.id == pk))
    return OutboxMessage.from_model(row) if row else None


register_node("OutboxMessage", _outbox_node)

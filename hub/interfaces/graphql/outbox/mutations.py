"""`retryOutboxMessage`: an admin sends a failed message again."""

from __future__ import annotations

import strawberry

from hub.access.permissions.outbox import require_outbox_admin
from hub.common.errors import InputError
from hub.delivery.outbox import retry
from hub.delivery.outbox.retry import OutboxErrorCode
from hub.infrastructure.models.base import utcnow
from hub.interfaces.graphql.context import Context
from hub.interfaces.graphql.mutation import attempt, input_pk
from hub.interfaces.graphql.outbox.types import OutboxError, OutboxMessage

Info = strawberry.Info[Context, None]


@strawberry.input
class RetryOutboxMessageInput:
    id: strawberry.ID = strawberry.field(description="A FAILED message's id.")


@strawberry.type
class RetryOutboxMessagePayload:
    message: OutboxMessage | None = strawberry.field(description="The message, queued again.")
    errors: list[OutboxError]


def _errors(errors: list[InputError]) -> list[OutboxError]:
    return [OutboxError(field=e.field, code=e.code, message=e.message) for e in errors]  # type: ignore[arg-type]


@strawberry.type
class OutboxMutation:
    @strawberry.mutation(
        description="Queues a FAILED message again, due at once, for one more attempt; recorded "
        "in the admins' audit trail. Two retries at once queue it once. Admins only."
    )
    async def retry_outbox_message(
        self, info: Info, input: RetryOutboxMessageInput
    ) -> RetryOutboxMessagePayload:
        context = info.context
        require_outbox_admin(context.viewer)

        async def requeue() -> OutboxMessage:
            pk = input_pk(input.id, "OutboxMessage", "id", OutboxErrorCode.UNKNOWN_MESSAGE)
            message = await retry.retry_message(
                context.session, pk, actor_id=context.viewer.person_id, now=utcnow()
            )
            return OutboxMessage.from_model(message)

        message, errors = await attempt(context, requeue)
        return RetryOutboxMessagePayload(message=message, errors=_errors(errors))

"""`liftSuppression`: an admin lets the hub mail an address again; the audit trail keeps it."""

from __future__ import annotations

import strawberry

from hub.access.permissions.outbox import require_suppression_admin
from hub.common.errors import InputError
from hub.delivery.email import suppressions
from hub.infrastructure.models.base import utcnow
from hub.interfaces.graphql.context import Context
from hub.interfaces.graphql.mutation import attempt
from hub.interfaces.graphql.suppressions.types import EmailSuppression, SuppressionError

Info = strawberry.Info[Context, None]


@strawberry.input
class LiftSuppressionInput:
    email: str = strawberry.field(description="The address to mail again (any case).")
    reason: str | None = strawberry.field(
        default=None,
        description="Why it may be mailed again (the address was fixed, the report was a "
        "mistake): required, up to 500 characters; kept in the audit trail.",
    )


@strawberry.type
class LiftSuppressionPayload:
    suppression: EmailSuppression | None = strawberry.field(
        description="The suppression as it was before it was lifted."
    )
    errors: list[SuppressionError]


def _errors(errors: list[InputError]) -> list[SuppressionError]:
    return [SuppressionError(field=e.field, code=e.code, message=e.message) for e in errors]  # type: ignore[arg-type]


@strawberry.type
class SuppressionMutation:
    @strawberry.mutation(
        description="Lifts an address's suppression, so the hub mails it again; recorded in "
        "the admins' audit trail. Admins only."
    )
    async def lift_suppression(
        self, info: Info, input: LiftSuppressionInput
    ) -> LiftSuppressionPayload:
        context = info.context
        require_suppression_admin(context.viewer)

        async def lift() -> EmailSuppression:
            lifted = await suppressions.lift(
                context.session,
                input.email,
                reason=input.reason or "",
                actor_id=context.viewer.person_id,
                via="through the API",
                now=utcnow(),
            )
            return EmailSuppression.from_model(lifted)

        lifted, errors = await attempt(context, lift)
        return LiftSuppressionPayload(suppression=lifted, errors=_errors(errors))

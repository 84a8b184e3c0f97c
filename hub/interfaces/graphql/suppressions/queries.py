"""`emailSuppressions`: the addresses the hub does not mail, by address."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import strawberry
from sqlalchemy import SQLColumnExpression

from hub.access.permissions.outbox import require_suppression_admin
from hub.delivery.email.suppressions import normalized, plausible_email, suppressions_by_email
from hub.infrastructure.models import EmailSuppression as SuppressionRow
from hub.interfaces.graphql.connection import Connection, connection_of
from hub.interfaces.graphql.context import Context
from hub.interfaces.graphql.suppressions.types import EmailSuppression

Info = strawberry.Info[Context, None]


@strawberry.type
class SuppressionQuery:
    @strawberry.field(
        description="Addresses the hub does not mail, by address; `email` picks one. Admins only."
    )
    async def email_suppressions(
        self,
        info: Info,
        email: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[EmailSuppression]:
        require_suppression_admin(info.context.viewer)
        statement = suppressions_by_email().order_by(None)
        if email is not None:
            # An address no one could have (a control character, say) is suppressed for none.
            wanted = normalized(email) if plausible_email(email) else None
            statement = statement.where(SuppressionRow.email == wanted)
        order: Sequence[SQLColumnExpression[Any]] = [SuppressionRow.email]
        return await connection_of(
            info.context, statement, order, EmailSuppression.from_model, first, after
        )

"""Tombstones as the API shows them."""

from __future__ import annotations

from datetime import datetime

import strawberry

from hub.infrastructure import models
from hub.infrastructure.models.sync import TombstoneReason

strawberry.enum(
    TombstoneReason,
    description=(
        "Why an object left your lists: DELETED; CANCELLED (a convening); WITHDRAWN (a "
        "proposal); HIDDEN (you may no longer see it, e.g. a convening moved from PUBLIC to "
        "MEMBERS)."
    ),
)


@strawberry.type(description="An object that left the lists you read: drop it from your copy.")
class Tombstone:
    id: strawberry.ID = strawberry.field(description="The global id the object had.")
    typename: str = strawberry.field(description="Its type: Organization, Convening, Proposal.")
    reason: TombstoneReason
    occurred_at: datetime = strawberry.field(description="When it left, in UTC.")

    @classmethod
    def from_model(cls, model: models.Tombstone) -> Tombstone:
        return cls(
            id=strawberry.ID(model.global_id),
            typename=model.type_name,
            reason=model.reason,
            occurred_at=model.occurred_at,
        )

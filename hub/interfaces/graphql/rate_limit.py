"""`rateLimit`: the caller's budget as it stands after this request was charged."""

from __future__ import annotations

from datetime import datetime

import strawberry

from hub.access.budgets.buckets import Charge
from hub.interfaces.graphql.context import Context


def remember_charge(context: Context, charge: Charge) -> None:
    if context.request is not None:
        context.request.state.budget_charge = charge


def charge_of(context: Context) -> Charge | None:
    if context.request is None:
        return None
    return getattr(context.request.state, "budget_charge", None)


@strawberry.type(description="Your budget: points per window, spent by every query you send.")
class RateLimit:
    cost: int = strawberry.field(description="What this request cost, in points.")
    limit: int = strawberry.field(description="The points you may spend in one window.")
    remaining: int = strawberry.field(description="The points left in this window.")
    reset_at: datetime = strawberry.field(description="When the window ends and points refill.")

    @classmethod
    def from_charge(cls, charge: Charge) -> RateLimit:
        return cls(
            cost=charge.cost,
            limit=charge.limit,
            remaining=charge.remaining,
            reset_at=charge.reset_at,
        )


@strawberry.type
class RateLimitQuery:
    @strawberry.field(description="Your budget after this request; null for unbudgeted calls.")
    def rate_limit(self, info: strawberry.Info[Context, None]) -> RateLimit | None:
        charge = charge_of(info.context)
        return RateLimit.from_charge(charge) if charge else None

"""The governance' queries (to be written by the governance work)."""

import strawberry


@strawberry.type
class GovernanceQuery:
    pass

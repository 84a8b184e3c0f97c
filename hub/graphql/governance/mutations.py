"""The governance' mutations (to be written by the governance work)."""

import strawberry


@strawberry.type
class GovernanceMutation:
    pass

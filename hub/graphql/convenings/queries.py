"""The convenings' queries (to be written by the convenings work)."""

import strawberry


@strawberry.type
class ConveningQuery:
    pass

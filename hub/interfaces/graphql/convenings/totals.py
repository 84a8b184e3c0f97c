"""Aggregates over a convening's RSVPs: the counts anyone may see, the needs planners see."""

from __future__ import annotations

import strawberry

from hub.interfaces.graphql.convenings.enums import AccessibilityNeed


@strawberry.type(description="How a convening's RSVPs stand.")
class ConveningCounts:
    going: int = 0
    maybe: int = 0
    waitlisted: int = 0
    not_going: int = 0
    attended: int = strawberry.field(
        default=0,
        description="GOING answers checked in at the door. Checking someone in makes their "
        "answer GOING, whatever it was (MAYBE, NOT_GOING, or WAITLISTED: they leave the "
        "waitlist), even past capacity: they are in the room.",
    )
    organizations_represented: int = strawberry.field(
        default=0, description="Distinct organizations among those GOING."
    )


@strawberry.type
class LanguageCount:
    language: str
    count: int


@strawberry.type
class AccessibilityCount:
    need: AccessibilityNeed
    count: int


@strawberry.type(description="What planners must provide for those GOING.")
class NeedsTotals:
    interpretation: list[LanguageCount] = strawberry.field(
        description="Interpretation headsets per language."
    )
    childcare_places: int
    accessibility: list[AccessibilityCount]
    accessibility_notes: list[str]
    dietary_notes: list[str]

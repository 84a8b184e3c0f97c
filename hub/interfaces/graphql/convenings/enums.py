"""The convenings' enums as the API names them."""

import enum

import strawberry

from hub.domains.convenings.errors import ConveningErrorCode
from hub.infrastructure.models.convenings import (
    AccessibilityNeed,
    ConveningKind,
    ConveningStatus,
    MessageAudience,
    RsvpStatus,
    Visibility,
)

strawberry.enum(ConveningKind, description="What sort of gathering it is.")
strawberry.enum(
    Visibility,
    description="Who sees a convening: PUBLIC anyone; MEMBERS the people of member "
    "organizations (MEMBER and STRATEGIC_PARTNER; not ALLY or PEER people); COMMITTEE the "
    "committee's seat holders and alternates. Admins and the hosts' contacts always do.",
)
strawberry.enum(ConveningStatus)
strawberry.enum(
    RsvpStatus, description="An answer; WAITLISTED when GOING found the convening full."
)
strawberry.enum(AccessibilityNeed, description="An access need to plan for.")
strawberry.enum(ConveningErrorCode)
strawberry.enum(
    MessageAudience,
    description="Whom a host's message goes to: those GOING, those WAITLISTED, or both.",
)


@strawberry.enum(description="What a person may answer; the hub decides GOING or WAITLISTED.")
class RsvpAnswer(enum.StrEnum):
    GOING = "GOING"
    MAYBE = "MAYBE"
    NOT_GOING = "NOT_GOING"

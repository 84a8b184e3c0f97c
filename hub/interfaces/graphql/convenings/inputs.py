"""Inputs of the convenings' mutations. Times without an offset are read in `timeZone`."""

from __future__ import annotations

from datetime import datetime

import strawberry

from hub.interfaces.graphql.convenings.enums import (
    AccessibilityNeed,
    ConveningKind,
    MessageAudience,
    RsvpAnswer,
    Visibility,
)


@strawberry.input
class CreateConveningInput:
    title: str
    kind: ConveningKind
    starts_at: datetime = strawberry.field(
        description="Wall-clock time in `timeZone` (or with an explicit offset)."
    )
    ends_at: datetime
    time_zone: str = strawberry.field(description="An IANA zone name, such as America/Los_Angeles.")
    host_ids: list[strawberry.ID] = strawberry.field(
        description="Host organizations; a contact must name one of their own."
    )
    series_slug: str | None = None
    description: str = ""
    venue_name: str | None = None
    venue_address: str | None = None
    virtual_url: str | None = None
    capacity: int | None = None
    delegate_limit: int | None = None
    rsvp_deadline: datetime | None = None
    languages: list[str] = strawberry.field(
        default_factory=list, description="Interpretation offered, as language codes (es)."
    )
    visibility: Visibility = Visibility.MEMBERS  # type: ignore[assignment]
    idempotency_key: str | None = strawberry.field(
        default=None,
        description="Any string unique to one form shown: sent again, the same key gets the "
        "convening the first sending made, and nothing more is written.",
    )


@strawberry.input(description="Only the fields given change; give null to clear an optional one.")
class UpdateConveningInput:
    id: strawberry.ID
    title: str | None = strawberry.UNSET
    kind: ConveningKind | None = strawberry.UNSET
    starts_at: datetime | None = strawberry.UNSET
    ends_at: datetime | None = strawberry.UNSET
    time_zone: str | None = strawberry.UNSET
    host_ids: list[strawberry.ID] | None = strawberry.UNSET
    series_slug: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    venue_name: str | None = strawberry.UNSET
    venue_address: str | None = strawberry.UNSET
    virtual_url: str | None = strawberry.UNSET
    capacity: int | None = strawberry.UNSET
    delegate_limit: int | None = strawberry.UNSET
    rsvp_deadline: datetime | None = strawberry.UNSET
    languages: list[str] | None = strawberry.UNSET
    visibility: Visibility | None = strawberry.UNSET


@strawberry.input
class CancelConveningInput:
    id: strawberry.ID


@strawberry.input(description="Replaces the needs given before.")
class RsvpNeedsInput:
    interpretation_language: str | None = strawberry.field(
        default=None, description="One of the convening's `languages`."
    )
    accessibility: list[AccessibilityNeed] = strawberry.field(default_factory=list)
    accessibility_note: str = ""
    childcare_count: int = strawberry.field(default=0, description="Children to care for.")
    dietary: str = ""


@strawberry.input
class RsvpInput:
    convening_id: strawberry.ID
    status: RsvpAnswer
    person_id: strawberry.ID | None = strawberry.field(
        default=None, description="Whom you answer for; yourself when left out."
    )
    organization_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The organization represented; required when answering for someone else.",
    )
    needs: RsvpNeedsInput | None = strawberry.field(
        default=None, description="Left out: the needs given before stay."
    )


@strawberry.input
class CancelRsvpInput:
    rsvp_id: strawberry.ID


@strawberry.input
class CheckInInput:
    rsvp_id: strawberry.ID
    undo: bool = strawberry.field(default=False, description="Clears a mistaken check-in.")


@strawberry.input(description="A host's message to a convening's attendees.")
class MessageAttendeesInput:
    convening_id: strawberry.ID
    audience: MessageAudience
    subject: str
    text: str
    key: str = strawberry.field(
        description="The form's own key (1-64 characters): the same key again sends nothing more."
    )
    subject_es: str = strawberry.field(default="", description="The Spanish subject, if any.")
    text_es: str = strawberry.field(default="", description="The Spanish text, with subjectEs.")


@strawberry.input(
    description="Someone who arrives without having answered: a person of the directory "
    "(`personId`) or a new one (`name`, and `email` when they give one)."
)
class RegisterWalkInInput:
    convening_id: strawberry.ID
    key: str = strawberry.field(
        description="The door form's own key (1-64 characters): a second tap registers no one more."
    )
    person_id: strawberry.ID | None = None
    name: str | None = None
    email: str | None = None
    organization_id: strawberry.ID | None = strawberry.field(
        default=None, description="The organization they came for, from the directory."
    )
    organization_name: str | None = strawberry.field(
        default=None,
        description="Or its name as typed: the directory's organization of that name when "
        "there is one (accents and case aside), else kept as typed.",
    )

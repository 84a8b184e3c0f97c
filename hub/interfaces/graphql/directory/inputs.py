"""Inputs of the directory's mutations."""

from __future__ import annotations

import strawberry

from hub.interfaces.graphql.directory.enums import (
    AffiliationRole,
    AnchorRole,
    Language,
    OrganizationKind,
    Sector,
)


@strawberry.input
class CreateOrganizationInput:
    name: str
    kind: OrganizationKind
    slug: str | None = strawberry.field(
        default=None,
        description="Lower-case letters, digits and hyphens; made from the name if left out.",
    )
    anchor_role: AnchorRole | None = None
    sector: Sector = Sector.OTHER  # type: ignore[assignment]
    region: str | None = None
    counties: list[str] = strawberry.field(default_factory=list)
    state: str | None = strawberry.field(default=None, description="Required for peers.")
    website: str | None = None
    description: str = ""


@strawberry.input(description="Only the fields given change; give null to clear an optional one.")
class UpdateOrganizationInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    slug: str | None = strawberry.UNSET
    kind: OrganizationKind | None = strawberry.UNSET
    anchor_role: AnchorRole | None = strawberry.UNSET
    sector: Sector | None = strawberry.UNSET
    region: str | None = strawberry.UNSET
    counties: list[str] | None = strawberry.UNSET
    state: str | None = strawberry.UNSET
    website: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET


@strawberry.input
class CreatePersonInput:
    name: str
    email: str
    phone: str | None = None
    preferred_language: Language = Language.EN  # type: ignore[assignment]


@strawberry.input
class AddAffiliationInput:
    person_id: strawberry.ID
    organization_id: strawberry.ID
    role: AffiliationRole
    title: str | None = None
    work_email: str | None = None
    work_phone: str | None = None


@strawberry.input
class UpdateMyPreferencesInput:
    preferred_language: Language = strawberry.field(
        description="The language the hub writes to you in (email, reminders)."
    )


@strawberry.input
class ArchiveOrganizationInput:
    id: strawberry.ID


@strawberry.input(description='Only the fields given change; give "" to clear the phone.')
class UpdatePersonInput:
    id: strawberry.ID
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    preferred_language: Language | None = None


@strawberry.input
class RemovePersonInput:
    id: strawberry.ID


@strawberry.input
class MergePeopleInput:
    survivor: strawberry.ID = strawberry.field(description="The record that stays.")
    duplicate: strawberry.ID = strawberry.field(
        description="The record whose affiliations, answers, seats and feeds move to the "
        "survivor; it is then deleted."
    )


@strawberry.input(description='Only the fields given change; give "" to clear a text.')
class UpdateAffiliationInput:
    id: strawberry.ID
    role: AffiliationRole | None = None
    title: str | None = None
    work_email: str | None = None
    work_phone: str | None = None


@strawberry.input
class EndAffiliationInput:
    id: strawberry.ID

"""Organizations, people and affiliations as the API shows them."""

from __future__ import annotations

from datetime import datetime

import strawberry

from hub.common.errors import NotFound
from hub.infrastructure import models
from hub.interfaces.graphql.context import Context
from hub.interfaces.graphql.directory.enums import (
    AffiliationRole,
    AnchorRole,
    DirectoryErrorCode,
    Language,
    OrganizationKind,
    Sector,
)
from hub.interfaces.graphql.directory.loaders import (
    AffiliationByIdLoader,
    AffiliationsByOrganizationIdLoader,
    AffiliationsByPersonIdLoader,
    ContactVisibleByPersonIdLoader,
    OrganizationByIdLoader,
    PersonByIdLoader,
)
from hub.interfaces.graphql.errors import UserError
from hub.interfaces.graphql.node import Node, loaded_by, register_node, to_global_id

Info = strawberry.Info[Context, None]


@strawberry.type(description="A group in or beside the alliance. All of its fields are public.")
class Organization(Node):
    pk: strawberry.Private[int]
    slug: str
    name: str
    kind: OrganizationKind
    anchor_role: AnchorRole | None
    sector: Sector
    region: str | None
    counties: list[str]
    state: str | None = strawberry.field(description="Two letters, for peers in other states.")
    website: str | None
    description: str
    created_at: datetime
    updated_at: datetime
    archived_at: datetime | None = strawberry.field(
        description="When it was archived: it left the lists, what names it still does."
    )

    @classmethod
    def from_model(cls, model: models.Organization) -> Organization:
        return cls(
            id=to_global_id("Organization", model.id),
            pk=model.id,
            slug=model.slug,
            name=model.name,
            kind=model.kind,
            anchor_role=model.anchor_role,
            sector=model.sector,
            region=model.region,
            counties=list(model.counties),
            state=model.state,
            website=model.website,
            description=model.description,
            created_at=model.created_at,
            updated_at=model.updated_at,
            archived_at=model.archived_at,
        )

    @strawberry.field(description="The people affiliated with it, for viewers who may see people.")
    async def affiliations(self, info: Info) -> list[Affiliation]:
        rows = await info.context.loader(AffiliationsByOrganizationIdLoader).load(self.pk)
        return [Affiliation.from_model(row) for row in rows]


@strawberry.type(description="Someone in the alliance. Contact details are private.")
class Person(Node):
    pk: strawberry.Private[int]
    name: str
    is_admin: bool = strawberry.field(description="Whether the person is an alliance admin.")
    created_at: datetime
    is_guest: bool = strawberry.field(
        default=False,
        description="Came in through a PUBLIC convening's guest RSVP and belongs to no "
        "organization yet: no member rights (an admin may attach them to one).",
    )
    guest_organization_name: str | None = strawberry.field(
        default=None, description="The organization a guest named when answering, as given."
    )
    former_member: bool = strawberry.field(
        description='Removed from the directory: the name reads "Former member" and what '
        "they answered or cast stays."
    )
    _email: strawberry.Private[str]
    _phone: strawberry.Private[str | None]
    _language: strawberry.Private[models.directory.Language]

    @classmethod
    def from_model(cls, model: models.Person) -> Person:
        return cls(
            id=to_global_id("Person", model.id),
            pk=model.id,
            name=model.name,
            is_admin=model.is_admin,
            created_at=model.created_at,
            is_guest=model.is_guest,
            guest_organization_name=model.guest_organization_name,
            former_member=model.removed_at is not None,
            _email=model.email,
            _phone=model.phone,
            _language=model.preferred_language,
        )

    @strawberry.field(description="Private: seen by admins and the person; null for others.")
    async def email(self, info: Info) -> str | None:
        return self._email if await _contact_visible(info, self.pk) else None

    @strawberry.field(description="Private: seen by admins and the person; null for others.")
    async def phone(self, info: Info) -> str | None:
        return self._phone if await _contact_visible(info, self.pk) else None

    @strawberry.field(description="Private: the language the hub writes to them in.")
    async def preferred_language(self, info: Info) -> Language | None:
        return self._language if await _contact_visible(info, self.pk) else None

    @strawberry.field(description="The organizations the person belongs to.")
    async def affiliations(self, info: Info) -> list[Affiliation]:
        rows = await info.context.loader(AffiliationsByPersonIdLoader).load(self.pk)
        return [Affiliation.from_model(row) for row in rows]


@strawberry.type(description="A person's belonging to an organization.")
class Affiliation(Node):
    pk: strawberry.Private[int]
    role: AffiliationRole
    title: str | None
    person_pk: strawberry.Private[int]
    organization_pk: strawberry.Private[int]
    _work_email: strawberry.Private[str | None]
    _work_phone: strawberry.Private[str | None]

    @classmethod
    def from_model(cls, model: models.Affiliation) -> Affiliation:
        return cls(
            id=to_global_id("Affiliation", model.id),
            pk=model.id,
            role=model.role,
            title=model.title,
            person_pk=model.person_id,
            organization_pk=model.organization_id,
            _work_email=model.work_email,
            _work_phone=model.work_phone,
        )

    @strawberry.field(description="Private: seen by admins and the person; null for others.")
    async def work_email(self, info: Info) -> str | None:
        return self._work_email if await _contact_visible(info, self.person_pk) else None

    @strawberry.field(description="Private: seen by admins and the person; null for others.")
    async def work_phone(self, info: Info) -> str | None:
        return self._work_phone if await _contact_visible(info, self.person_pk) else None

    @strawberry.field
    async def person(self, info: Info) -> Person | None:
        row = await info.context.loader(PersonByIdLoader).load(self.person_pk)
        return Person.from_model(row) if row else None

    @strawberry.field
    async def organization(self, info: Info) -> Organization:
        row = await info.context.loader(OrganizationByIdLoader).load(self.organization_pk)
        if row is None:  # organizations are public and affiliations cascade: not expected
            raise NotFound("organization")
        return Organization.from_model(row)


async def _contact_visible(info: Info, person_pk: int) -> bool:
    return await info.context.loader(ContactVisibleByPersonIdLoader).load(person_pk)


@strawberry.type(description="A mistake in a directory change.")
class DirectoryError(UserError):
    code: DirectoryErrorCode


register_node("Organization", loaded_by(OrganizationByIdLoader, Organization.from_model))
register_node("Person", loaded_by(PersonByIdLoader, Person.from_model))
register_node("Affiliation", loaded_by(AffiliationByIdLoader, Affiliation.from_model))

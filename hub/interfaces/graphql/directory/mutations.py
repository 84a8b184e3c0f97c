"""The directory's mutations: admins add and change organizations, people and affiliations."""

from __future__ import annotations

from typing import Any

import strawberry

from hub.access.permissions import directory as rules
from hub.common.errors import InputError
from hub.common.unset import UNSET
from hub.domains.directory import organizations as organization_service
from hub.domains.directory import people as people_service
from hub.domains.directory.errors import DirectoryErrorCode as Code
from hub.infrastructure.models import Organization as OrganizationRow
from hub.interfaces.graphql.context import Context
from hub.interfaces.graphql.directory.inputs import (
    AddAffiliationInput,
    CreateOrganizationInput,
    CreatePersonInput,
    UpdateMyPreferencesInput,
    UpdateOrganizationInput,
)
from hub.interfaces.graphql.directory.types import Affiliation, DirectoryError, Organization, Person
from hub.interfaces.graphql.mutation import attempt, input_pk

Info = strawberry.Info[Context, None]


@strawberry.type
class CreateOrganizationPayload:
    organization: Organization | None
    errors: list[DirectoryError]


@strawberry.type
class UpdateOrganizationPayload:
    organization: Organization | None
    errors: list[DirectoryError]


@strawberry.type
class CreatePersonPayload:
    person: Person | None
    errors: list[DirectoryError]


@strawberry.type
class AddAffiliationPayload:
    affiliation: Affiliation | None
    errors: list[DirectoryError]


@strawberry.type
class UpdateMyPreferencesPayload:
    person: Person | None
    errors: list[DirectoryError]


def _errors(errors: list[InputError]) -> list[DirectoryError]:
    return [DirectoryError(field=e.field, code=e.code, message=e.message) for e in errors]  # type: ignore[arg-type]


def _changes(given: Any, *, skip: tuple[str, ...] = ()) -> organization_service.OrganizationChanges:
    names = organization_service.OrganizationChanges.__dataclass_fields__
    values = {
        name: UNSET if getattr(given, name) is strawberry.UNSET else getattr(given, name)
        for name in names
        if name not in skip
    }
    return organization_service.OrganizationChanges(**values)


def _refuse_null(changes: organization_service.OrganizationChanges) -> None:
    for required in ("name", "kind", "sector", "counties"):
        if getattr(changes, required) is None:
            raise InputError(required, Code.REQUIRED, f"{required} cannot be cleared.")


@strawberry.type
class DirectoryMutation:
    @strawberry.mutation(description="Adds an organization to the directory. Admins only.")
    async def create_organization(
        self, info: Info, input: CreateOrganizationInput
    ) -> CreateOrganizationPayload:
        context = info.context
        created, errors = await attempt(
            context,
            lambda: organization_service.create_organization(
                context.session, context.viewer, _changes(input)
            ),
        )
        wrapped = Organization.from_model(created) if created else None
        return CreateOrganizationPayload(organization=wrapped, errors=_errors(errors))

    @strawberry.mutation(description="Changes an organization's fields. Admins only.")
    async def update_organization(
        self, info: Info, input: UpdateOrganizationInput
    ) -> UpdateOrganizationPayload:
        context = info.context
        rules.require_admin(context.viewer)

        async def update() -> OrganizationRow:
            pk = input_pk(input.id, "Organization", "id", Code.UNKNOWN_ORGANIZATION)
            organization = await context.session.get(OrganizationRow, pk)
            if organization is None:
                raise InputError("id", Code.UNKNOWN_ORGANIZATION, "No organization has that id.")
            changes = _changes(input)
            _refuse_null(changes)
            return await organization_service.update_organization(
                context.session, context.viewer, organization, changes
            )

        updated, errors = await attempt(context, update)
        wrapped = Organization.from_model(updated) if updated else None
        return UpdateOrganizationPayload(organization=wrapped, errors=_errors(errors))

    @strawberry.mutation(description="Adds a person. Admins only.")
    async def create_person(self, info: Info, input: CreatePersonInput) -> CreatePersonPayload:
        context = info.context
        new = people_service.NewPerson(
            name=input.name,
            email=input.email,
            phone=input.phone,
            preferred_language=input.preferred_language,
        )
        created, errors = await attempt(
            context, lambda: people_service.create_person(context.session, context.viewer, new)
        )
        wrapped = Person.from_model(created) if created else None
        return CreatePersonPayload(person=wrapped, errors=_errors(errors))

    @strawberry.mutation(description="Affiliates a person with an organization. Admins only.")
    async def add_affiliation(
        self, info: Info, input: AddAffiliationInput
    ) -> AddAffiliationPayload:
        context = info.context
        rules.require_admin(context.viewer)

        async def add() -> Any:
            new = people_service.NewAffiliation(
                person_id=input_pk(input.person_id, "Person", "personId", Code.UNKNOWN_PERSON),
                organization_id=input_pk(
                    input.organization_id,
                    "Organization",
                    "organizationId",
                    Code.UNKNOWN_ORGANIZATION,
                ),
                role=input.role,
                title=input.title,
                work_email=input.work_email,
                work_phone=input.work_phone,
            )
            return await people_service.add_affiliation(context.session, context.viewer, new)

        created, errors = await attempt(context, add)
        wrapped = Affiliation.from_model(created) if created else None
        return AddAffiliationPayload(affiliation=wrapped, errors=_errors(errors))

    @strawberry.mutation(
        description="Changes your own preferences (the language the hub writes to you in)."
    )
    async def update_my_preferences(
        self, info: Info, input: UpdateMyPreferencesInput
    ) -> UpdateMyPreferencesPayload:
        context = info.context
        updated, errors = await attempt(
            context,
            lambda: people_service.update_my_preferences(
                context.session, context.viewer, preferred_language=input.preferred_language
            ),
        )
        wrapped = Person.from_model(updated) if updated else None
        return UpdateMyPreferencesPayload(person=wrapped, errors=_errors(errors))

"""The directory's record keeping, for admins: archive an organization; edit, remove and merge
people; change and end affiliations."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

import strawberry

from hub.access.permissions import directory as rules
from hub.domains.directory import organizations as organization_service
from hub.domains.directory import people as people_service
from hub.domains.directory import removal
from hub.domains.directory.errors import DirectoryErrorCode as Code
from hub.infrastructure.models.base import utcnow
from hub.interfaces.graphql.context import Context
from hub.interfaces.graphql.directory.inputs import (
    ArchiveOrganizationInput,
    EndAffiliationInput,
    MergePeopleInput,
    RemovePersonInput,
    UpdateAffiliationInput,
    UpdatePersonInput,
)
from hub.interfaces.graphql.directory.mutations import _errors
from hub.interfaces.graphql.directory.types import Affiliation, DirectoryError, Organization, Person
from hub.interfaces.graphql.mutation import attempt, input_pk

Info = strawberry.Info[Context, None]
T = TypeVar("T")
W = TypeVar("W")


@strawberry.type
class ArchiveOrganizationPayload:
    organization: Organization | None
    errors: list[DirectoryError]


@strawberry.type
class UpdatePersonPayload:
    person: Person | None
    errors: list[DirectoryError]


@strawberry.type
class RemovePersonPayload:
    person: Person | None = strawberry.field(description="The former member's record.")
    errors: list[DirectoryError]


@strawberry.type
class MergePeoplePayload:
    person: Person | None = strawberry.field(description="The survivor, with all that moved.")
    errors: list[DirectoryError]


@strawberry.type
class UpdateAffiliationPayload:
    affiliation: Affiliation | None
    errors: list[DirectoryError]


@strawberry.type
class EndAffiliationPayload:
    person: Person | None = strawberry.field(description="The person, without the affiliation.")
    errors: list[DirectoryError]


async def _run(
    info: Info, action: Callable[[], Awaitable[T]], wrap: Callable[[T], W]
) -> tuple[W | None, list[DirectoryError]]:
    """Admins only (a refusal is a GraphQL error); mistakes come back as payload errors."""
    rules.require_admin(info.context.viewer)
    done, errors = await attempt(info.context, action)
    return (wrap(done) if done is not None else None), _errors(errors)


def _wrap_person(row: people_service.Person | None) -> Person | None:
    return Person.from_model(row) if row is not None else None


def _person_pk(global_id: str, field: str = "id") -> int:
    return input_pk(global_id, "Person", field, Code.UNKNOWN_PERSON)


@strawberry.type
class DirectoryRecordsMutation:
    @strawberry.mutation(
        description="Archives an organization: it leaves the lists and pickers, and whatever "
        "names it (RSVPs, seats, votes, the audit trail) still does. Admins only."
    )
    async def archive_organization(
        self, info: Info, input: ArchiveOrganizationInput
    ) -> ArchiveOrganizationPayload:
        context = info.context

        async def archive() -> organization_service.Organization:
            pk = input_pk(input.id, "Organization", "id", Code.UNKNOWN_ORGANIZATION)
            return await organization_service.archive_organization(
                context.session, context.viewer, pk, now=utcnow()
            )

        done, errors = await _run(info, archive, Organization.from_model)
        return ArchiveOrganizationPayload(organization=done, errors=errors)

    @strawberry.mutation(
        description="Changes a person's name, email, phone or language. Admins only."
    )
    async def update_person(self, info: Info, input: UpdatePersonInput) -> UpdatePersonPayload:
        context = info.context
        changes = people_service.PersonChanges(
            name=input.name,
            email=input.email,
            phone=input.phone,
            preferred_language=input.preferred_language,
        )

        async def update() -> people_service.Person:
            return await people_service.update_person(
                context.session, context.viewer, _person_pk(input.id), changes
            )

        done, errors = await _run(info, update, Person.from_model)
        return UpdatePersonPayload(person=done, errors=errors)

    @strawberry.mutation(
        description="Removes a person: their RSVPs, votes and audit entries stay, naming a "
        "former member; their contact details, needs, affiliations, seats, feeds, sessions and "
        "tokens go. The last admin cannot be removed. Admins only."
    )
    async def remove_person(self, info: Info, input: RemovePersonInput) -> RemovePersonPayload:
        context = info.context

        async def remove() -> people_service.Person:
            return await removal.remove_person(
                context.session, context.viewer, _person_pk(input.id), now=utcnow()
            )

        done, errors = await _run(info, remove, Person.from_model)
        return RemovePersonPayload(person=done, errors=errors)

    @strawberry.mutation(
        description="Merges two records of one person, in one transaction: the duplicate's "
        "affiliations, RSVPs, seats, votes, proxies and feeds move to the survivor (where both "
        "answered one convening, the more committed answer stays), the duplicate's sessions and "
        "tokens end and its record goes. Audited. Admins only."
    )
    async def merge_people(self, info: Info, input: MergePeopleInput) -> MergePeoplePayload:
        context = info.context

        async def merge() -> removal.Merged:
            return await removal.merge_people(
                context.session,
                context.viewer,
                _person_pk(input.survivor, "survivor"),
                _person_pk(input.duplicate, "duplicate"),
                now=utcnow(),
            )

        done, errors = await _run(info, merge, lambda m: Person.from_model(m.survivor))
        return MergePeoplePayload(person=done, errors=errors)

    @strawberry.mutation(
        description="Changes an affiliation's role, title or work contact. Admins only."
    )
    async def update_affiliation(
        self, info: Info, input: UpdateAffiliationInput
    ) -> UpdateAffiliationPayload:
        context = info.context
        changes = people_service.AffiliationChanges(
            role=input.role,
            title=input.title,
            work_email=input.work_email,
            work_phone=input.work_phone,
        )

        async def update() -> people_service.Affiliation:
            pk = input_pk(input.id, "Affiliation", "id", Code.UNKNOWN_AFFILIATION)
            return await people_service.update_affiliation(
                context.session, context.viewer, pk, changes
            )

        done, errors = await _run(info, update, Affiliation.from_model)
        return UpdateAffiliationPayload(affiliation=done, errors=errors)

    @strawberry.mutation(
        description="Ends a person's affiliation with an organization. Admins only."
    )
    async def end_affiliation(
        self, info: Info, input: EndAffiliationInput
    ) -> EndAffiliationPayload:
        context = info.context

        async def end() -> people_service.Person | None:
            pk = input_pk(input.id, "Affiliation", "id", Code.UNKNOWN_AFFILIATION)
            person_id = await people_service.end_affiliation(context.session, context.viewer, pk)
            return await context.session.get(people_service.Person, person_id)

        done, errors = await _run(info, end, _wrap_person)
        return EndAffiliationPayload(person=done, errors=errors)

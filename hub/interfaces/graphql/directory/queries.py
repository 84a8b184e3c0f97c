"""The directory's queries: viewer, organizations, organization(slug:), people."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any

import strawberry
from sqlalchemy import SQLColumnExpression

from hub.domains.directory import organizations as organization_service
from hub.domains.directory import people as people_service
from hub.domains.directory.filters import (
    OrganizationFilter,
    organization_conditions,
    people_conditions,
)
from hub.infrastructure.models import Organization as OrganizationRow
from hub.infrastructure.models import Person as PersonRow
from hub.interfaces.graphql.connection import Connection, connection_of
from hub.interfaces.graphql.context import Context
from hub.interfaces.graphql.directory.enums import AnchorRole, OrganizationKind, Sector
from hub.interfaces.graphql.directory.loaders import PersonByIdLoader
from hub.interfaces.graphql.directory.types import Organization, Person
from hub.interfaces.graphql.sync.ordering import UPDATED_SINCE, changed_since, changes_page_order

Info = strawberry.Info[Context, None]


@strawberry.type
class DirectoryQuery:
    @strawberry.field(description="The signed-in person, or null for anonymous callers.")
    async def viewer(self, info: Info) -> Person | None:
        person_id = info.context.viewer.person_id
        if person_id is None:
            return None
        row = await info.context.loader(PersonByIdLoader).load(person_id)
        return Person.from_model(row) if row else None

    @strawberry.field(description="Organizations by name. All filters combine.")
    async def organizations(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        kind: OrganizationKind | None = None,
        anchor_role: AnchorRole | None = None,
        sector: Sector | None = None,
        region: str | None = None,
        search: Annotated[
            str | None,
            strawberry.argument(
                description="Words of the name, each found anywhere in it, accents and case "
                'folded: "ma go" finds María González.'
            ),
        ] = None,
        updated_since: Annotated[
            datetime | None, strawberry.argument(description=UPDATED_SINCE)
        ] = None,
    ) -> Connection[Organization]:
        wanted = OrganizationFilter(
            kind=kind, anchor_role=anchor_role, sector=sector, region=region, search=search
        )
        statement = organization_service.visible_organizations(info.context.viewer).where(
            *organization_conditions(wanted)
        )
        order: Sequence[SQLColumnExpression[Any]] = [OrganizationRow.name, OrganizationRow.id]
        if updated_since is not None:
            statement = statement.where(*changed_since(OrganizationRow, updated_since))
            order = changes_page_order(OrganizationRow, after)
        return await connection_of(
            info.context, statement, order, Organization.from_model, first, after
        )

    @strawberry.field
    async def organization(self, info: Info, slug: str) -> Organization | None:
        row = await organization_service.organization_by_slug(
            info.context.session, info.context.viewer, slug
        )
        return Organization.from_model(row) if row else None

    @strawberry.field(
        description="People by name, for people of member organizations (MEMBER and "
        "STRATEGIC_PARTNER) and admins. Anyone else signed in (people of ALLY and PEER "
        "organizations) finds only themself, and as a host's contact the people coming to what "
        "the organization hosts; anonymous callers and API clients find no one."
    )
    async def people(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        search: Annotated[
            str | None,
            strawberry.argument(
                description="Words of the name, each found anywhere in it, accents and case "
                "folded (or, for admins, part of the email)."
            ),
        ] = None,
    ) -> Connection[Person]:
        viewer = info.context.viewer
        statement = people_service.visible_people(viewer).where(*people_conditions(viewer, search))
        order = [PersonRow.name, PersonRow.id]
        return await connection_of(info.context, statement, order, Person.from_model, first, after)

"""Per-request batch loaders for the directory; each applies the viewer's row rules."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from hub.graphql.loader import Loader, group_by
from hub.models import Affiliation, Organization, Person
from hub.permissions import directory as rules


class OrganizationByIdLoader(Loader[int, Organization | None]):
    async def fetch(self, keys: Sequence[int]) -> dict[int, Organization | None]:
        statement = select(Organization).where(
            Organization.id.in_(keys), rules.organization_rows(self.context.viewer)
        )
        return {row.id: row for row in await self.context.session.scalars(statement)}


class PersonByIdLoader(Loader[int, Person | None]):
    async def fetch(self, keys: Sequence[int]) -> dict[int, Person | None]:
        statement = select(Person).where(
            Person.id.in_(keys), rules.person_rows(self.context.viewer)
        )
        return {row.id: row for row in await self.context.session.scalars(statement)}


class AffiliationByIdLoader(Loader[int, Affiliation | None]):
    async def fetch(self, keys: Sequence[int]) -> dict[int, Affiliation | None]:
        statement = select(Affiliation).where(
            Affiliation.id.in_(keys), rules.affiliation_rows(self.context.viewer)
        )
        return {row.id: row for row in await self.context.session.scalars(statement)}


class AffiliationsByPersonIdLoader(Loader[int, list[Affiliation]]):
    async def fetch(self, keys: Sequence[int]) -> dict[int, list[Affiliation]]:
        statement = (
            select(Affiliation)
            .where(Affiliation.person_id.in_(keys), rules.affiliation_rows(self.context.viewer))
            .order_by(Affiliation.id)
        )
        return group_by(await self.context.session.scalars(statement), "person_id")

    def missing(self) -> list[Affiliation]:
        return []


class AffiliationsByOrganizationIdLoader(Loader[int, list[Affiliation]]):
    async def fetch(self, keys: Sequence[int]) -> dict[int, list[Affiliation]]:
        statement = (
            select(Affiliation)
            .where(
                Affiliation.organization_id.in_(keys), rules.affiliation_rows(self.context.viewer)
            )
            .order_by(Affiliation.id)
        )
        return group_by(await self.context.session.scalars(statement), "organization_id")

    def missing(self) -> list[Affiliation]:
        return []

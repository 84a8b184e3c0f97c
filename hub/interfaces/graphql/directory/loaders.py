"""Per-request batch loaders for the directory; each applies the viewer's row rules."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Label, select

from hub.access.auth.viewer import Viewer
from hub.access.permissions import directory as rules
from hub.infrastructure.models import Affiliation, Organization, Person
from hub.interfaces.graphql.loader import Loader, group_by

# A person's and an organization's affiliations, in both read paths (the compiled mapping's Many).
AFFILIATIONS_ORDER = (Affiliation.id,)


class OrganizationByIdLoader(Loader[int, Organization | None]):
    async def fetch(self, keys: Sequence[int]) -> dict[int, Organization | None]:
        statement = select(Organization).where(
            Organization.id.in_(keys), rules.organization_rows(self.context.viewer)
        )
        return {row.id: row for row in await self.context.session.scalars(statement)}


class PersonByIdLoader(Loader[int, Person | None]):
    """Selects the contact details' rule with each row, priming ContactVisibleByPersonIdLoader."""

    async def fetch(self, keys: Sequence[int]) -> dict[int, Person | None]:
        viewer = self.context.viewer
        statement = select(Person, _contact_visible(viewer)).where(
            Person.id.in_(keys), rules.person_rows(viewer)
        )
        rows = (await self.context.session.execute(statement)).all()
        visible = {person.id: bool(shown) for person, shown in rows}
        self.context.loader(ContactVisibleByPersonIdLoader).prime_many(visible)
        return {person.id: person for person, _shown in rows}


class ContactVisibleByPersonIdLoader(Loader[int, bool]):
    """Whether the viewer may see each person's contact details (their email, phone and
    language, and their affiliations' work email and phone): the field rule, written once as
    SQL (`rules.contact_details_visible`) for this path and the compiled one."""

    async def fetch(self, keys: Sequence[int]) -> dict[int, bool]:
        statement = select(Person.id, _contact_visible(self.context.viewer))
        rows = await self.context.session.execute(statement.where(Person.id.in_(keys)))
        return {person_id: bool(shown) for person_id, shown in rows}

    def missing(self) -> bool:
        return False


def _contact_visible(viewer: Viewer) -> Label[bool]:
    return rules.contact_details_visible(viewer, Person.id).label("contact_visible")


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
            .order_by(*AFFILIATIONS_ORDER)
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
            .order_by(*AFFILIATIONS_ORDER)
        )
        return group_by(await self.context.session.scalars(statement), "organization_id")

    def missing(self) -> list[Affiliation]:
        return []

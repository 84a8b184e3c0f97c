"""The directory's types as tables, for the compiled read path (hub/interfaces/graphql/compiled).

Each entry mirrors a resolver in types.py or queries.py: the same row rules, the same field
rules (as SQL), the same orderings. The differential tests hold the two paths equal.
"""

from __future__ import annotations

from functools import partial

from sqlalchemy import ColumnElement

from hub.access.auth.viewer import Viewer
from hub.access.permissions import directory as rules
from hub.domains.directory.filters import (
    OrganizationFilter,
    organization_conditions,
    people_conditions,
)
from hub.infrastructure.models import Affiliation, Organization, Person
from hub.interfaces.graphql.compiled.declarations import (
    Arguments,
    Column,
    Many,
    One,
    RootConnection,
    RootMapping,
    RootObject,
    TypeMapping,
)
from hub.interfaces.graphql.directory.loaders import AFFILIATIONS_ORDER
from hub.interfaces.graphql.sync.ordering import by_change, changes_asked

ORGANIZATION = TypeMapping(
    name="Organization",
    model=Organization,
    rows=rules.organization_rows,
    fields={
        "slug": Column(Organization.slug),
        "name": Column(Organization.name),
        "kind": Column(Organization.kind),
        "anchorRole": Column(Organization.anchor_role),
        "sector": Column(Organization.sector),
        "region": Column(Organization.region),
        "counties": Column(Organization.counties),
        "state": Column(Organization.state),
        "website": Column(Organization.website),
        "description": Column(Organization.description),
        "createdAt": Column(Organization.created_at),
        "updatedAt": Column(Organization.updated_at),
        "archivedAt": Column(Organization.archived_at),
        "affiliations": Many(
            "Affiliation", Organization.id, Affiliation.organization_id, AFFILIATIONS_ORDER
        ),
    },
)

_own_contact_details = partial(rules.contact_details_visible, person_id=Person.id)

PERSON = TypeMapping(
    name="Person",
    model=Person,
    rows=rules.person_rows,
    fields={
        "name": Column(Person.name),
        "isAdmin": Column(Person.is_admin),
        "createdAt": Column(Person.created_at),
        "isGuest": Column(Person.is_guest),
        "guestOrganizationName": Column(Person.guest_organization_name),
        "formerMember": Column(Person.removed_at.is_not(None)),
        "email": Column(Person.email, visible=_own_contact_details),
        "phone": Column(Person.phone, visible=_own_contact_details),
        "preferredLanguage": Column(Person.preferred_language, visible=_own_contact_details),
        "affiliations": Many("Affiliation", Person.id, Affiliation.person_id, AFFILIATIONS_ORDER),
    },
)

_member_contact_details = partial(rules.contact_details_visible, person_id=Affiliation.person_id)

AFFILIATION = TypeMapping(
    name="Affiliation",
    model=Affiliation,
    rows=rules.affiliation_rows,
    fields={
        "role": Column(Affiliation.role),
        "title": Column(Affiliation.title),
        "workEmail": Column(Affiliation.work_email, visible=_member_contact_details),
        "workPhone": Column(Affiliation.work_phone, visible=_member_contact_details),
        "person": One("Person", Affiliation.person_id, Person.id),
        "organization": One("Organization", Affiliation.organization_id, Organization.id),
    },
)

TYPES = (ORGANIZATION, PERSON, AFFILIATION)


def _organization_filters(viewer: Viewer, arguments: Arguments) -> list[ColumnElement[bool]]:
    wanted = OrganizationFilter(
        kind=arguments.get("kind"),
        anchor_role=arguments.get("anchorRole"),
        sector=arguments.get("sector"),
        region=arguments.get("region"),
        search=arguments.get("search"),
    )
    return organization_conditions(wanted) + changes_asked(Organization, arguments)


def _people_filters(viewer: Viewer, arguments: Arguments) -> list[ColumnElement[bool]]:
    return people_conditions(viewer, arguments.get("search"))


def _the_viewer(viewer: Viewer, arguments: Arguments) -> ColumnElement[bool] | None:
    return Person.id == viewer.person_id if viewer.person_id is not None else None


def _organization_by_slug(viewer: Viewer, arguments: Arguments) -> ColumnElement[bool]:
    return Organization.slug == arguments["slug"].lower()


ROOTS: dict[str, RootMapping] = {
    "organizations": RootConnection(
        "Organization",
        (Organization.name, Organization.id),
        _organization_filters,
        arguments=("kind", "anchorRole", "sector", "region", "search"),
        orders=by_change(Organization),
    ),
    "people": RootConnection(
        "Person", (Person.name, Person.id), _people_filters, arguments=("search",)
    ),
    "organization": RootObject("Organization", _organization_by_slug),
    "viewer": RootObject("Person", _the_viewer),
}

"""The directory's types as tables, for the compiled read path (hub/graphql/compiled).

Each entry mirrors a resolver in types.py or queries.py: the same row rules, the same field
rules (as SQL), the same orderings. The differential tests hold the two paths equal.
"""

from __future__ import annotations

from functools import partial

from sqlalchemy import ColumnElement

from hub.auth.viewer import Viewer
from hub.directory import listing
from hub.graphql.compiled.declarations import (
    Arguments,
    Column,
    Many,
    One,
    RootConnection,
    RootMapping,
    RootObject,
    TypeMapping,
)
from hub.models import Affiliation, Organization, Person
from hub.permissions import directory as rules

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
            "Affiliation", Organization.id, Affiliation.organization_id, (Affiliation.id,)
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
        "affiliations": Many("Affiliation", Person.id, Affiliation.person_id, (Affiliation.id,)),
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
    equal_to = {
        "kind": Organization.kind,
        "anchorRole": Organization.anchor_role,
        "sector": Organization.sector,
        "region": Organization.region,
    }
    conditions = [listing.organization_listed()] + [
        column == arguments[name]
        for name, column in equal_to.items()
        if arguments.get(name) is not None
    ]
    if arguments.get("search"):
        conditions.append(listing.organizations_matching(arguments["search"]))
    return conditions


def _people_filters(viewer: Viewer, arguments: Arguments) -> list[ColumnElement[bool]]:
    if not arguments.get("search"):
        return [listing.person_listed()]
    return [listing.person_listed(), listing.people_matching(viewer, arguments["search"])]


def _the_viewer(viewer: Viewer, arguments: Arguments) -> ColumnElement[bool] | None:
    return Person.id == viewer.person_id if viewer.person_id is not None else None


def _organization_by_slug(viewer: Viewer, arguments: Arguments) -> ColumnElement[bool]:
    return Organization.slug == arguments["slug"].lower()


ROOTS: dict[str, RootMapping] = {
    # Not `updatedSince`: sync reads order by (updated_at, id), not this root's order.
    "organizations": RootConnection(
        "Organization",
        (Organization.name, Organization.id),
        _organization_filters,
        arguments=("kind", "anchorRole", "sector", "region", "search"),
    ),
    "people": RootConnection(
        "Person", (Person.name, Person.id), _people_filters, arguments=("search",)
    ),
    "organization": RootObject("Organization", _organization_by_slug),
    "viewer": RootObject("Person", _the_viewer),
}

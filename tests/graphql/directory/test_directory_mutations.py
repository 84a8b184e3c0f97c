"""Changing the directory: who may, what is valid, and that refusals change nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from hub.infrastructure.models import Affiliation, Organization, Person
from hub.interfaces.graphql.node import to_global_id
from tests.factories import affiliate, create_admin, create_organization, create_person

CREATE_ORGANIZATION = """
mutation ($input: CreateOrganizationInput!) {
  createOrganization(input: $input) {
    organization { id slug name kind anchorRole sector region counties state }
    errors { field code message }
  }
}
"""

UPDATE_ORGANIZATION = """
mutation ($input: UpdateOrganizationInput!) {
  updateOrganization(input: $input) {
    organization { slug name region website }
    errors { field code message }
  }
}
"""

CREATE_PERSON = """
mutation ($input: CreatePersonInput!) {
  createPerson(input: $input) {
    person { name email preferredLanguage }
    errors { field code message }
  }
}
"""

ADD_AFFILIATION = """
mutation ($input: AddAffiliationInput!) {
  addAffiliation(input: $input) {
    affiliation { role title person { name } organization { slug } }
    errors { field code message }
  }
}
"""


async def count(session, model) -> int:
    return int(await session.scalar(select(func.count()).select_from(model)))


async def test_an_admin_creates_an_organization(session, gql):
    admin = await create_admin(session)
    await session.commit()

    data = await gql.data(
        CREATE_ORGANIZATION,
        {
            "input": {
                "name": "Oakland Rising",
                "kind": "MEMBER",
                "anchorRole": "REGIONAL_ANCHOR",
                "sector": "COMMUNITY_ORGANIZING",
                "region": "East Bay",
                "counties": ["Alameda", "Alameda"],
            }
        },
        as_=admin,
    )

    created = data["createOrganization"]
    assert created["errors"] == []
    assert created["organization"]["slug"] == "oakland-rising"
    assert created["organization"]["counties"] == ["Alameda"]
    assert created["organization"]["anchorRole"] == "REGIONAL_ANCHOR"
    assert await count(session, Organization) == 1


async def test_a_duplicate_slug_is_a_payload_error_and_adds_nothing(session, gql):
    admin = await create_admin(session)
    await create_organization(session, slug="scope", name="SCOPE")
    await session.commit()

    data = await gql.data(
        CREATE_ORGANIZATION, {"input": {"name": "Scope", "kind": "ALLY"}}, as_=admin
    )

    assert data["createOrganization"] == {
        "organization": None,
        "errors": [
            {"field": "slug", "code": "DUPLICATE_SLUG", "message": "The slug 'scope' is taken."}
        ],
    }
    assert await count(session, Organization) == 1


async def test_each_kind_of_bad_organization_input_gets_its_code(session, gql):
    admin = await create_admin(session)
    await session.commit()
    cases = [
        ({"name": "  ", "kind": "MEMBER"}, "name", "REQUIRED"),
        ({"name": "x" * 201, "kind": "MEMBER"}, "name", "TOO_LONG"),
        ({"name": "Peer", "kind": "PEER"}, "state", "REQUIRED"),
        ({"name": "Peer", "kind": "PEER", "state": "Florida"}, "state", "INVALID_STATE"),
        (
            {"name": "Ally", "kind": "ALLY", "anchorRole": "STATE_ANCHOR"},
            "anchorRole",
            "ANCHOR_ROLE_ONLY_FOR_MEMBERS",
        ),
        ({"name": "Bad slug", "kind": "ALLY", "slug": "Not A Slug"}, "slug", "INVALID_SLUG"),
        ({"name": "Site", "kind": "ALLY", "website": "ftp://x"}, "website", "INVALID"),
    ]
    for given, field, code in cases:
        data = await gql.data(CREATE_ORGANIZATION, {"input": given}, as_=admin)
        errors = data["createOrganization"]["errors"]
        assert [(e["field"], e["code"]) for e in errors] == [(field, code)], given
        assert data["createOrganization"]["organization"] is None
    assert await count(session, Organization) == 0


async def test_a_peer_state_is_stored_upper_case(session, gql):
    admin = await create_admin(session)
    await session.commit()

    data = await gql.data(
        CREATE_ORGANIZATION,
        {"input": {"name": "TakeAction Minnesota", "kind": "PEER", "state": "mn"}},
        as_=admin,
    )

    assert data["createOrganization"]["organization"]["state"] == "MN"


async def test_non_admins_may_not_change_the_directory(session, gql):
    member = await create_person(session)
    organization = await create_organization(session)
    await affiliate(session, member, organization)
    await session.commit()
    attempts = [
        (CREATE_ORGANIZATION, {"input": {"name": "New", "kind": "ALLY"}}),
        (
            UPDATE_ORGANIZATION,
            {"input": {"id": to_global_id("Organization", organization.id), "name": "Renamed"}},
        ),
        (CREATE_PERSON, {"input": {"name": "New", "email": "new@example.org"}}),
    ]
    for document, variables in attempts:
        anonymous = await gql(document, variables)
        signed_in = await gql(document, variables, as_=member)

        assert anonymous["data"] is None
        assert anonymous["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED"}
        assert signed_in["data"] is None
        assert signed_in["errors"][0]["extensions"] == {"code": "FORBIDDEN"}
    await session.refresh(organization)
    assert organization.name.startswith("Organization")
    assert (await count(session, Organization), await count(session, Person)) == (1, 1)


async def test_an_admin_updates_only_the_given_fields(session, gql):
    admin = await create_admin(session)
    organization = await create_organization(
        session,
        name="Old Name",
        slug="old",
        region="Central Valley",
        website="https://old.example.org",
    )
    await session.commit()

    data = await gql.data(
        UPDATE_ORGANIZATION,
        {
            "input": {
                "id": to_global_id("Organization", organization.id),
                "name": "New Name",
                "website": None,
            }
        },
        as_=admin,
    )

    assert data["updateOrganization"] == {
        "organization": {
            "slug": "old",
            "name": "New Name",
            "region": "Central Valley",
            "website": None,
        },
        "errors": [],
    }


async def test_updating_an_unknown_organization_is_a_payload_error(session, gql):
    admin = await create_admin(session)
    await session.commit()

    for bad_id, message_start in [
        (to_global_id("Organization", 999), "No organization"),
        ("bm9wZQ==", "That is not an id of a Organization"),
        (to_global_id("Person", admin.id), "That is not an id of a Organization"),
    ]:
        data = await gql.data(
            UPDATE_ORGANIZATION, {"input": {"id": bad_id, "name": "X"}}, as_=admin
        )

        (error,) = data["updateOrganization"]["errors"]
        assert (error["field"], error["code"]) == ("id", "UNKNOWN_ORGANIZATION")
        assert error["message"].startswith(message_start)


async def test_a_refused_update_leaves_the_row_as_it_was(session, gql):
    admin = await create_admin(session)
    await create_organization(session, slug="taken")
    organization = await create_organization(session, slug="mine", name="Mine")
    organization_id = organization.id
    await session.commit()

    data = await gql.data(
        UPDATE_ORGANIZATION,
        {
            "input": {
                "id": to_global_id("Organization", organization.id),
                "name": "Changed",
                "slug": "taken",
            }
        },
        as_=admin,
    )

    assert data["updateOrganization"]["errors"][0]["code"] == "DUPLICATE_SLUG"
    session.expire_all()
    unchanged = await session.get(Organization, organization_id)
    assert (unchanged.name, unchanged.slug) == ("Mine", "mine")


async def test_an_admin_creates_a_person_with_a_normalized_email(session, gql):
    admin = await create_admin(session)
    await session.commit()

    data = await gql.data(
        CREATE_PERSON,
        {
            "input": {
                "name": "José Hernández",
                "email": "Jose.Hernandez@Example.org",
                "preferredLanguage": "ES",
            }
        },
        as_=admin,
    )

    assert data["createPerson"] == {
        "person": {
            "name": "José Hernández",
            "email": "jose.hernandez@example.org",
            "preferredLanguage": "ES",
        },
        "errors": [],
    }


async def test_bad_person_input_gets_its_code_and_adds_nobody(session, gql):
    admin = await create_admin(session, email="admin@example.org")
    await session.commit()
    cases = [
        ({"name": "A", "email": "not-an-email"}, "email", "INVALID_EMAIL"),
        ({"name": "A", "email": "ADMIN@example.org"}, "email", "DUPLICATE_EMAIL"),
        ({"name": "", "email": "a@example.org"}, "name", "REQUIRED"),
        ({"name": "A", "email": "a@example.org", "phone": "call me"}, "phone", "INVALID"),
    ]
    for given, field, code in cases:
        data = await gql.data(CREATE_PERSON, {"input": given}, as_=admin)
        assert [(e["field"], e["code"]) for e in data["createPerson"]["errors"]] == [(field, code)]
    assert await count(session, Person) == 1


async def test_an_admin_affiliates_a_person_once(session, gql):
    admin = await create_admin(session)
    person = await create_person(session, name="Rosa Peña")
    organization = await create_organization(session, slug="cause")
    await session.commit()
    variables = {
        "input": {
            "personId": to_global_id("Person", person.id),
            "organizationId": to_global_id("Organization", organization.id),
            "role": "CONTACT",
            "title": "Lead Organizer",
        }
    }

    first = await gql.data(ADD_AFFILIATION, variables, as_=admin)
    again = await gql.data(ADD_AFFILIATION, variables, as_=admin)

    assert first["addAffiliation"] == {
        "affiliation": {
            "role": "CONTACT",
            "title": "Lead Organizer",
            "person": {"name": "Rosa Peña"},
            "organization": {"slug": "cause"},
        },
        "errors": [],
    }
    assert [e["code"] for e in again["addAffiliation"]["errors"]] == ["ALREADY_AFFILIATED"]
    assert await count(session, Affiliation) == 1


async def test_affiliating_with_unknown_ids_is_a_payload_error(session, gql):
    admin = await create_admin(session)
    person = await create_person(session)
    await session.commit()

    data = await gql.data(
        ADD_AFFILIATION,
        {
            "input": {
                "personId": to_global_id("Person", person.id),
                "organizationId": to_global_id("Organization", 404),
                "role": "MEMBER",
            }
        },
        as_=admin,
    )

    assert [(e["field"], e["code"]) for e in data["addAffiliation"]["errors"]] == [
        ("organizationId", "UNKNOWN_ORGANIZATION")
    ]
    assert await count(session, Affiliation) == 0

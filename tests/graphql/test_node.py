"""Relay's `node(id:)`: every object round-trips through its global id."""

from __future__ import annotations

from hub.interfaces.graphql.node import to_global_id
from tests.factories import affiliate, create_admin, create_organization, create_person

NODE = """
query ($id: ID!) {
  node(id: $id) {
    __typename id
    ... on Organization { slug }
    ... on Person { name }
    ... on Affiliation { role organization { slug } }
  }
}
"""


async def test_each_directory_object_round_trips(session, gql):
    admin = await create_admin(session, name="Ada")
    organization = await create_organization(session, slug="oakland-rising")
    affiliation = await affiliate(session, admin, organization)
    await session.commit()
    listed = await gql.data(
        "{ organizations { edges { node { id affiliations { id person { id } } } } } }", as_=admin
    )
    org_node = listed["organizations"]["edges"][0]["node"]

    for global_id, expected in [
        (org_node["id"], {"__typename": "Organization", "slug": "oakland-rising"}),
        (org_node["affiliations"][0]["person"]["id"], {"__typename": "Person", "name": "Ada"}),
        (
            org_node["affiliations"][0]["id"],
            {
                "__typename": "Affiliation",
                "role": "MEMBER",
                "organization": {"slug": "oakland-rising"},
            },
        ),
    ]:
        data = await gql.data(NODE, {"id": global_id}, as_=admin)
        assert data["node"] == {"id": global_id, **expected}
    assert org_node["id"] == to_global_id("Organization", organization.id)
    assert org_node["affiliations"][0]["id"] == to_global_id("Affiliation", affiliation.id)


async def test_an_unknown_id_is_null_and_a_malformed_one_an_error(session, gql):
    unknown = await gql.data(NODE, {"id": to_global_id("Organization", 12345)})
    malformed = await gql(NODE, {"id": "definitely not an id"})
    unknown_type = await gql(NODE, {"id": to_global_id("Spaceship", 1)})
    not_ascii = await gql(NODE, {"id": "Organizaci\u00f3n:1"})

    assert unknown == {"node": None}
    for body in (malformed, unknown_type, not_ascii):
        assert body["data"] == {"node": None}
        assert body["errors"][0]["message"] == "That is not an id this hub gave out."
        assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT"}


async def test_a_person_node_is_hidden_from_anonymous_callers(session, gql):
    person = await create_person(session)
    await session.commit()

    data = await gql.data(NODE, {"id": to_global_id("Person", person.id)})

    assert data == {"node": None}

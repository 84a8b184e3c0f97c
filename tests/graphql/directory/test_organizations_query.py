"""Reading the directory's organizations: filters, pagination, slugs."""

from __future__ import annotations

from hub.infrastructure.models.directory import OrganizationKind
from tests.factories import create_organization

ORGANIZATIONS = """
query ($first: Int, $after: String, $kind: OrganizationKind) {
  organizations(first: $first, after: $after, kind: $kind) {
    totalCount
    edges { cursor node { name slug kind } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""


async def test_pages_through_organizations_by_name(session, gql):
    # Given five organizations created out of name order
    for name in ["Echo", "Alpha", "Delta", "Bravo", "Charlie"]:
        await create_organization(session, name=name, slug=name.lower())
    await session.commit()

    # When an anonymous caller reads two at a time
    first = (await gql.data(ORGANIZATIONS, {"first": 2}))["organizations"]
    second = (await gql.data(ORGANIZATIONS, {"first": 2, "after": first["pageInfo"]["endCursor"]}))[
        "organizations"
    ]
    third = (await gql.data(ORGANIZATIONS, {"first": 2, "after": second["pageInfo"]["endCursor"]}))[
        "organizations"
    ]

    # Then the pages follow the names, without gaps or repeats
    names = lambda page: [edge["node"]["name"] for edge in page["edges"]]  # noqa: E731
    assert names(first) == ["Alpha", "Bravo"]
    assert names(second) == ["Charlie", "Delta"]
    assert names(third) == ["Echo"]
    assert [p["totalCount"] for p in (first, second, third)] == [5, 5, 5]
    assert first["pageInfo"]["hasNextPage"] is True
    assert first["pageInfo"]["hasPreviousPage"] is False
    assert second["pageInfo"]["hasPreviousPage"] is True
    assert third["pageInfo"]["hasNextPage"] is False
    assert first["pageInfo"]["startCursor"] == first["edges"][0]["cursor"]


async def test_filters_by_kind(session, gql):
    await create_organization(session, name="Florida Peers", kind=OrganizationKind.PEER, state="FL")
    await create_organization(session, name="Local Member")
    await session.commit()

    data = await gql.data(ORGANIZATIONS, {"kind": "PEER"})

    assert [e["node"]["name"] for e in data["organizations"]["edges"]] == ["Florida Peers"]
    assert data["organizations"]["totalCount"] == 1


async def test_finds_an_organization_by_slug(session, gql):
    await create_organization(session, name="Oakland Rising", slug="oakland-rising")
    await session.commit()

    query = """{ organization(slug: "oakland-rising") { name }
                none: organization(slug: "x") { name } }"""
    data = await gql.data(query)

    assert data == {"organization": {"name": "Oakland Rising"}, "none": None}


async def test_a_forged_cursor_is_a_clear_error(gql):
    body = await gql(ORGANIZATIONS, {"first": 2, "after": "not-a-cursor"})

    assert body["data"] is None
    assert body["errors"][0]["message"] == "The `after` cursor is not one this hub gave out."
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT"}


async def test_first_is_capped(gql, settings):
    body = await gql(ORGANIZATIONS, {"first": settings.max_page_size + 1})

    assert body["errors"][0]["message"] == f"`first` can be at most {settings.max_page_size}."
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT"}

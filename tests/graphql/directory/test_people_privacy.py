"""Who sees people, and who sees their contact details: a test per role and field family."""

from __future__ import annotations

from hub.interfaces.graphql.node import to_global_id
from tests.factories import affiliate, create_admin, create_organization, create_person

PEOPLE = """
{ people { totalCount edges { node { name email phone preferredLanguage
  affiliations { role title workEmail workPhone organization { slug } } } } } }
"""


async def arrange(session):
    organization = await create_organization(session, slug="scope")
    rosa = await create_person(
        session, name="Rosa", email="rosa@example.org", phone="+1 213 555 0101"
    )
    luis = await create_person(
        session, name="Luis", email="luis@example.org", phone="+1 213 555 0102"
    )
    await affiliate(
        session,
        rosa,
        organization,
        title="Organizer",
        work_email="rosa@scope.example.org",
        work_phone="+1 213 555 0201",
    )
    await affiliate(session, luis, organization, work_email="luis@scope.example.org")
    admin = await create_admin(session, name="Zed Admin", email="zed@example.org")
    await session.commit()
    return rosa, luis, admin


def by_name(data):
    return {edge["node"]["name"]: edge["node"] for edge in data["people"]["edges"]}


async def test_anonymous_callers_see_no_people(session, gql):
    await arrange(session)

    data = await gql.data(PEOPLE)

    assert data["people"] == {"totalCount": 0, "edges": []}


async def test_a_person_sees_their_own_contact_details_and_not_others(session, gql):
    rosa, _luis, _admin = await arrange(session)

    people = by_name(await gql.data(PEOPLE, as_=rosa))

    assert people["Rosa"]["email"] == "rosa@example.org"
    assert people["Rosa"]["phone"] == "+1 213 555 0101"
    assert people["Rosa"]["preferredLanguage"] == "EN"
    assert people["Rosa"]["affiliations"] == [
        {
            "role": "MEMBER",
            "title": "Organizer",
            "workEmail": "rosa@scope.example.org",
            "workPhone": "+1 213 555 0201",
            "organization": {"slug": "scope"},
        }
    ]
    assert (
        people["Luis"]["email"],
        people["Luis"]["phone"],
        people["Luis"]["preferredLanguage"],
    ) == (None, None, None)
    assert people["Luis"]["affiliations"][0]["workEmail"] is None
    assert people["Luis"]["affiliations"][0]["organization"] == {"slug": "scope"}


async def test_admins_see_everyones_contact_details(session, gql):
    _rosa, _luis, admin = await arrange(session)

    people = by_name(await gql.data(PEOPLE, as_=admin))

    assert {name: p["email"] for name, p in people.items()} == {
        "Rosa": "rosa@example.org",
        "Luis": "luis@example.org",
        "Zed Admin": "zed@example.org",
    }
    assert people["Luis"]["affiliations"][0]["workEmail"] == "luis@scope.example.org"


async def test_no_path_shows_anonymous_callers_a_person(session, gql):
    rosa, _luis, _admin = await arrange(session)
    query = """
    query ($id: ID!) {
      node(id: $id) { ... on Person { name email } }
      organization(slug: "scope") { affiliations { person { name email } } }
      viewer { name }
    }
    """

    data = await gql.data(query, {"id": to_global_id("Person", rosa.id)})

    assert data == {"node": None, "organization": {"affiliations": []}, "viewer": None}


async def test_the_viewer_is_the_token_holder(session, gql):
    rosa, _luis, _admin = await arrange(session)

    data = await gql.data("{ viewer { name email isAdmin } }", as_=rosa)

    assert data == {"viewer": {"name": "Rosa", "email": "rosa@example.org", "isAdmin": False}}


async def test_admins_find_people_by_email_and_others_by_name_only(session, gql):
    rosa, _luis, admin = await arrange(session)
    query = '{ people(search: "luis@") { edges { node { name } } } }'

    assert (await gql.data(query, as_=admin))["people"]["edges"] == [{"node": {"name": "Luis"}}]
    assert (await gql.data(query, as_=rosa))["people"]["edges"] == []

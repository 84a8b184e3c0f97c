"""Convening.rsvps(organizations:): a contact's delegation, without the rest of the list."""

from __future__ import annotations

from tests.convenings.factories import create_contact, create_convening, create_member, create_rsvp
from tests.factories import create_organization
from tests.graphql.convenings.documents import gid

DELEGATION = """
query ($id: ID!, $organizations: [ID!]) { node(id: $id) { ... on Convening {
  rsvps(first: 50, organizations: $organizations) {
    totalCount edges { node { person { name } organization { name } } }
  }
} } }
"""


async def arrange(session):
    host = await create_organization(session, name="Unidos Fresno")
    guest = await create_organization(session, name="Bay Tenants")
    contact = await create_contact(session, host)
    convening = await create_convening(session, hosts=[host])
    for org, names in ((host, ("Ana", "Ben")), (guest, ("Cy", "Di", "Ed"))):
        for name in names:
            person = await create_member(session, org, name=name)
            await create_rsvp(session, convening, person, organization_id=org.id)
    await session.commit()
    return host, guest, contact, convening


def answered(data) -> tuple[list[tuple[str, str]], int]:
    rsvps = data["node"]["rsvps"]
    pairs = [
        (e["node"]["person"]["name"], e["node"]["organization"]["name"]) for e in rsvps["edges"]
    ]
    return pairs, rsvps["totalCount"]


async def test_only_the_named_organizations_answers_are_listed_and_counted(session, gql):
    host, guest, contact, convening = await arrange(session)
    convening_id = gid("Convening", convening.id)

    def ask(organizations):
        return gql.data(
            DELEGATION, {"id": convening_id, "organizations": organizations}, as_=contact
        )

    mine = answered(await ask([gid("Organization", host.id)]))
    both = answered(await ask([gid("Organization", host.id), gid("Organization", guest.id)]))
    none = answered(await ask([]))
    everyone = answered(await ask(None))

    assert mine == ([("Ana", "Unidos Fresno"), ("Ben", "Unidos Fresno")], 2)
    assert both[1] == 5 and everyone[1] == 5 and both == everyone
    assert none == ([], 0)


async def test_an_id_that_is_not_an_organizations_is_refused(session, gql):
    _, _, contact, convening = await arrange(session)
    variables = {"id": gid("Convening", convening.id), "organizations": [gid("Person", 1)]}

    body = await gql(DELEGATION, variables, as_=contact)

    assert body["data"]["node"]["rsvps"] is None
    assert body["errors"][0]["message"] == "That is not an id of a Organization."
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"

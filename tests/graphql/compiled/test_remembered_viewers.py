"""The compiled path remembers who a token stands for between requests, and reads those facts
again inside the data statement: a caller who asks again costs no lookup, and a change to their
facts (an affiliation, admin rights, the person deleted) shows on their very next request."""

from __future__ import annotations

from hub.infrastructure.models import Person
from tests.convenings.factories import create_convening
from tests.factories import affiliate, create_admin, create_organization, create_person
from tests.graphql.compiled.test_statements import kinds

CONVENINGS = """
{ convenings(first: 10, from: "2000-01-01T00:00:00Z") { edges { node { title } } } }
"""
PEOPLE = "{ people(first: 10) { edges { node { name email } } } }"


def titles(data) -> list[str]:
    return [edge["node"]["title"] for edge in data["convenings"]["edges"]]


async def test_a_caller_asking_again_costs_one_statement(session, gql, statements):
    person = await create_person(session)
    await session.commit()
    await gql.data(CONVENINGS, as_=person)
    statements.statements.clear()

    await gql.data(CONVENINGS, as_=person)

    assert kinds(statements.statements) == ["compiled query and charge"]


async def test_a_new_affiliation_shows_on_the_next_request(session, gql, statements):
    # Given a person without an affiliation, who sees no members-only convening
    host = await create_organization(session)
    await create_convening(session, hosts=[host], title="Members only")
    person = await create_person(session)
    await session.commit()
    assert titles(await gql.data(CONVENINGS, as_=person)) == []

    # When they join an organization
    await affiliate(session, person, host)
    await session.commit()
    statements.statements.clear()

    # Then their next request sees it, answered by the compiled path: the first statement's
    # answer, planned for the old facts, is thrown away, and the query planned again (the
    # budget charged once)
    assert titles(await gql.data(CONVENINGS, as_=person)) == ["Members only"]
    assert kinds(statements.statements) == ["compiled query and charge", "compiled query"]


async def test_admin_rights_taken_away_show_on_the_next_request(session, gql, statements):
    admin = await create_admin(session, name="Ada Admin", email="ada@example.org")
    await create_person(session, name="Olga Other", email="olga@example.org")
    await session.commit()
    emails = {
        edge["node"]["name"]: edge["node"]["email"]
        for edge in (await gql.data(PEOPLE, as_=admin))["people"]["edges"]
    }
    assert emails == {"Ada Admin": "ada@example.org", "Olga Other": "olga@example.org"}

    stored = await session.get(Person, admin.id)
    assert stored is not None
    stored.is_admin = False
    await session.commit()

    response = await gql.post(PEOPLE, as_=admin)
    assert "olga@example.org" not in response.text
    assert "ada@example.org" in response.text  # a person still sees their own email


async def test_a_deleted_persons_remembered_token_is_refused(session, gql, statements):
    person = await create_person(session)
    await session.commit()
    token = gql.token_for(person)
    assert (await gql.post(CONVENINGS, token=token)).status_code == 200

    await session.delete(await session.get(Person, person.id))
    await session.commit()

    response = await gql.post(CONVENINGS, token=token)
    assert response.status_code == 401
    assert response.json()["errors"][0]["message"] == "The token's person no longer exists."

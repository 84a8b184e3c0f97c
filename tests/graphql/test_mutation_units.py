"""Each top-level mutation of a document is its own unit of work: a refused one (payload errors
or a GraphQL error) undoes only itself, and what every payload reports is what is stored."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.infrastructure.models import Organization, Person
from hub.infrastructure.models.directory import Language
from hub.infrastructure.models.governance import GovernanceEvent
from hub.infrastructure.models.outbox import OutboxMessage
from tests.factories import create_admin, create_organization, create_person

THREE_MUTATIONS = """
mutation {
  a: createOrganization(input: {name: "Oakland Rising", slug: "oakland-rising", kind: MEMBER}) {
    organization { id slug } errors { field code }
  }
  b: createOrganization(input: {name: "Scope", slug: "taken", kind: MEMBER}) {
    organization { id slug } errors { field code }
  }
  c: createPerson(input: {name: "Noemí Peña", email: "noemi@example.org"}) {
    person { id name } errors { field code }
  }
}
"""

NODE = "query ($id: ID!) { node(id: $id) { __typename id ... on Person { name } } }"


async def _count(session: AsyncSession, model: Any) -> int:
    counted = int(await session.scalar(select(func.count()).select_from(model)) or 0)
    await session.commit()  # SQLite: a reading session holds the write lock until it ends
    return counted


async def _arrange(session: AsyncSession) -> Person:
    admin = await create_admin(session)
    await create_organization(session, slug="taken")
    await session.commit()
    return admin


async def test_a_refused_mutation_undoes_only_itself(session, gql):
    admin = await _arrange(session)
    outbox_before = await _count(session, OutboxMessage)
    events_before = await _count(session, GovernanceEvent)

    data = await gql.data(THREE_MUTATIONS, as_=admin)

    a, b, c = data["a"], data["b"], data["c"]
    assert a["errors"] == [] and a["organization"]["slug"] == "oakland-rising"
    assert b == {"organization": None, "errors": [{"field": "slug", "code": "DUPLICATE_SLUG"}]}
    assert c["errors"] == [] and c["person"]["name"] == "Noemí Peña"
    slugs = await session.scalars(select(Organization.slug).order_by(Organization.slug))
    assert list(slugs) == ["oakland-rising", "taken"]
    names = await session.scalars(select(Person.name).where(Person.id != admin.id))
    assert list(names) == ["Noemí Peña"]
    await session.commit()
    # What the payloads report is stored: their ids resolve to the very objects.
    organization = await gql.data(NODE, {"id": a["organization"]["id"]}, as_=admin)
    person = await gql.data(NODE, {"id": c["person"]["id"]}, as_=admin)
    assert organization["node"] == {"__typename": "Organization", "id": a["organization"]["id"]}
    assert person["node"] == {"__typename": "Person", "id": c["person"]["id"], "name": "Noemí Peña"}
    # Nothing the refused one might have queued or audited outlives it.
    assert await _count(session, OutboxMessage) == outbox_before
    assert await _count(session, GovernanceEvent) == events_before


async def test_an_id_reported_is_never_given_to_another_object(session, gql):
    """On SQLite a rolled-back insert's id was handed to the next object created."""
    admin = await _arrange(session)

    first = await gql.data(THREE_MUTATIONS.replace("oakland-rising", "first-org"), as_=admin)
    later = await gql.data(
        'mutation { createOrganization(input: {name: "Later", slug: "later", kind: ALLY}) '
        "{ organization { id } errors { code } } }",
        as_=admin,
    )

    assert later["createOrganization"]["organization"]["id"] != first["a"]["organization"]["id"]
    node = await gql.data(
        "query ($id: ID!) { node(id: $id) { ... on Organization { slug } } }",
        {"id": first["a"]["organization"]["id"]},
        as_=admin,
    )
    assert node == {"node": {"slug": "first-org"}}


async def test_a_document_whose_answer_is_lost_to_a_graphql_error_stores_nothing(session, gql):
    """A refused mutation's GraphQL error nulls the whole answer (payloads are non-null): no
    payload then reports anything, so nothing is stored, not even the mutations before it."""
    member = await create_person(session, preferred_language=Language.EN)
    await session.commit()
    document = """
    mutation {
      a: updateMyPreferences(input: {preferredLanguage: ES}) { person { name } errors { code } }
      b: createOrganization(input: {name: "Refused", kind: MEMBER}) { errors { code } }
    }
    """

    body = await gql(document, as_=member)

    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    await session.refresh(member)
    assert member.preferred_language is Language.EN
    assert await _count(session, Organization) == 0

"""One SQL statement per compiled request, whatever the size of the answer, on PostgreSQL and
SQLite: it builds the answer, reads the viewer's facts again and charges the budget. Besides
it, only the viewer's lookup, for a token the process has not seen yet."""

from __future__ import annotations

from hub.infrastructure.config import Settings
from hub.infrastructure.models import Convening
from hub.interfaces.graphql.node import to_global_id
from tests.convenings.factories import create_convening, create_rsvp
from tests.factories import affiliate, create_admin, create_organization, create_person
from tests.graphql.compiled.differential import builds_json

NESTED = """
{ organizations(first: 50) { totalCount edges { cursor node { id name createdAt
    affiliations { role workEmail person { name email } organization { name } }
} } pageInfo { hasNextPage endCursor } } }
"""


async def arrange(session, organizations: int, people_each: int):
    for _ in range(organizations):
        organization = await create_organization(session)
        for _ in range(people_each):
            await affiliate(session, await create_person(session), organization)
    await session.commit()


def kinds(statements: list[str]) -> list[str]:
    def kind(statement: str) -> str:
        if builds_json(statement) and "rate_limit_buckets" in statement:
            return "compiled query and charge"
        if builds_json(statement):
            return "compiled query"
        if "rate_limit_buckets" in statement:
            return "budget charge"
        return "viewer"

    return [kind(s) for s in statements]


async def test_anonymous_nested_query_is_one_statement_for_2_or_40_organizations(
    session, gql, statements
):
    await arrange(session, organizations=2, people_each=2)
    statements.statements.clear()
    small = await gql.data(NESTED)
    small_kinds = kinds(statements.statements)

    await arrange(session, organizations=38, people_each=5)
    statements.statements.clear()
    large = await gql.data(NESTED)

    assert small["organizations"]["totalCount"] == 2
    assert large["organizations"]["totalCount"] == 40
    assert len(large["organizations"]["edges"]) == 40
    assert small_kinds == ["compiled query and charge"]
    assert kinds(statements.statements) == ["compiled query and charge"]


async def test_an_admins_query_adds_only_the_viewers_lookup(session, gql, statements):
    admin = await create_admin(session)
    await arrange(session, organizations=30, people_each=4)
    statements.statements.clear()

    data = await gql.data(NESTED, as_=admin)

    assert len(data["organizations"]["edges"]) == 30
    *lookups, query = kinds(statements.statements)
    assert query == "compiled query and charge"
    assert 1 <= len(lookups) <= 3 and set(lookups) == {"viewer"}


async def test_the_setting_turns_the_compiled_path_off(session, normal_hub, statements):
    await arrange(session, organizations=3, people_each=1)

    answer = await normal_hub.ask(NESTED, None, None)

    assert Settings.from_env({"HUB_COMPILED_READS": "0"}).compiled_reads is False
    assert Settings.from_env({}).compiled_reads is True
    assert answer.status == 200
    assert not answer.compiled
    assert len(answer.statements) > 2


Q1 = """{ convenings(first: 50, from: "2000-01-01T00:00:00Z") {
    edges { node { id title startsAt hosts { name } counts { going } } } } }"""
Q2 = """query ($id: ID!) { node(id: $id) { ... on Convening { title rsvps(first: 250) {
    edges { node { status person { name } organization { name } } } } } } }"""
Q3 = """{ convenings(first: 200, from: "2000-01-01T00:00:00Z") { edges { node { title
    rsvps(first: 20) { edges { node { status person { name } organization { name } } } }
} } } }"""


async def arrange_convenings(session, convenings: int, rsvps_each: int) -> list[Convening]:
    made = []
    for _ in range(convenings):
        host = await create_organization(session)
        convening = await create_convening(
            session, hosts=[host, await create_organization(session)]
        )
        for _ in range(rsvps_each):
            await create_rsvp(
                session, convening, await create_person(session), organization_id=host.id
            )
        made.append(convening)
    await session.commit()
    return made


async def ask_q1_to_q3(gql, statements, admin, convening: Convening) -> list[list[str]]:
    """The statements' kinds for each benchmark shape, as an admin."""
    seen = []
    for query, variables in (
        (Q1, None),
        (Q2, {"id": to_global_id("Convening", convening.id)}),
        (Q3, None),
    ):
        statements.statements.clear()
        await gql.data(query, variables, as_=admin)
        seen.append([kind for kind in kinds(statements.statements) if kind != "viewer"])
    return seen


async def test_benchmark_shapes_are_one_statement_for_2_or_25_convenings(session, gql, statements):
    admin = await create_admin(session)
    (first, *_) = await arrange_convenings(session, convenings=2, rsvps_each=2)
    small = await ask_q1_to_q3(gql, statements, admin, first)

    await arrange_convenings(session, convenings=23, rsvps_each=12)
    large = await ask_q1_to_q3(gql, statements, admin, first)
    data = await gql.data(Q3, as_=admin)

    one_statement = [["compiled query and charge"]] * 3
    assert (small, large) == (one_statement, one_statement)
    assert len(data["convenings"]["edges"]) == 25
    assert [len(e["node"]["rsvps"]["edges"]) for e in data["convenings"]["edges"]] == [2, 2] + [
        12
    ] * 23


# Three connections within each other, for a viewer who sees every RSVP: deeper than the
# parser of SQLite (as built with its default stack) takes, not than PostgreSQL's.
TOO_DEEP_FOR_SQLITE = """{ convenings { edges { node { rsvps { edges { node { convening {
    rsvps { edges { node { status person { name } } } } } } } } } } } }"""


async def test_a_query_too_deep_for_sqlite_is_answered_on_the_normal_path_and_not_retried(
    session, gql, statements, dialect
):
    admin = await create_admin(session)
    await arrange_convenings(session, convenings=2, rsvps_each=2)
    seen, answers = [], []
    for _ in range(2):
        statements.statements.clear()
        answers.append(await gql.data(TOO_DEEP_FOR_SQLITE, as_=admin))
        seen.append([kind for kind in kinds(statements.statements) if kind != "viewer"])

    first, again = seen
    assert answers[0] == answers[1]
    inner = answers[0]["convenings"]["edges"][0]["node"]["rsvps"]["edges"][0]["node"]
    assert len(inner["convening"]["rsvps"]["edges"]) == 2
    if dialect == "postgresql":
        assert first == again == ["compiled query and charge"]
    else:
        # Refused by SQLite's parser before it read anything, then the normal path; the shape
        # is remembered, so the next request goes straight to the normal path.
        assert first[0] == "compiled query and charge" and "compiled query" not in first[1:]
        assert again == ["budget charge"]  # and the normal path's reads

"""Nothing of a request outlives its answer. When a field fails and its error nulls the whole
`data`, graphql-core answers at once and does not cancel the fields still running beside it;
those went on to read through the request's session after it had been committed and closed,
which began a new transaction on a new connection that nobody would end: on SQLite it held the
write lock (every other request then waited out the 30 s busy timeout and failed), on
PostgreSQL it kept a pooled connection until the garbage collector found it."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from hub.interfaces.graphql.node import to_global_id
from tests.convenings.factories import create_member
from tests.factories import create_organization

# For a member, peopleImportFormat is refused and decisionRegister's `after: ""` too; both are
# non-null, so `data` becomes null at the first refusal, while the other fields still load.
FAILS_BESIDE_A_LOAD = """
query ($id: ID!) {
  decisionRegister(first: 0, after: "") { totalCount }
  node(id: $id) {
    ... on Convening { series { name } needsTotals { childcarePlaces } }
    ... on Organization { affiliations { role } }
    ... on Proposal { title bodyHtml }
  }
  peopleImportFormat { maxBytes }
}"""


async def test_a_field_still_loading_when_the_answer_goes_holds_no_connection(session, gql):
    organization = await create_organization(session)
    member = await create_member(session, organization)
    variables = {"id": to_global_id("Organization", organization.id)}
    token, member_name = gql.token_for(member), member.name
    await session.commit()

    for _ in range(3):
        body = await gql(FAILS_BESIDE_A_LOAD, variables, token=token)
        assert body["data"] is None
        assert {e["extensions"]["code"] for e in body["errors"]} <= {"BAD_USER_INPUT", "FORBIDDEN"}
        # Whatever was left running has had its chance to reach the database.
        await asyncio.sleep(0.2)
        assert gql.runtime.engine.pool.checkedout() == 0

    # And the next request is answered at once (on SQLite, a held write lock made it wait).
    async with asyncio.timeout(5):
        body = await gql("{ viewer { name } }", token=token)
    assert body == {"data": {"viewer": {"name": member_name}}}


async def test_a_session_whose_unit_of_work_ended_refuses_to_begin_another(runtime):
    async with runtime.sessions() as ended:
        assert await ended.scalar(select(1)) == 1
    checked_out = runtime.engine.pool.checkedout()

    try:
        await ended.scalar(select(2))
    except asyncio.CancelledError:
        refused = True
    else:
        refused = False

    assert refused
    assert runtime.engine.pool.checkedout() == checked_out
    assert not ended.in_transaction()

"""Related objects load in batches: statements do not grow with the number of items."""

from __future__ import annotations

from tests.factories import affiliate, create_admin, create_organization, create_person

NESTED = """
{ organizations(first: 50) { totalCount edges { node { name
    affiliations { role person { name email affiliations { organization { name } } } } } } } }
"""


async def arrange(session, organizations: int, people_each: int):
    admin = await create_admin(session)
    for _ in range(organizations):
        organization = await create_organization(session)
        for _ in range(people_each):
            await affiliate(session, await create_person(session), organization)
    await session.commit()
    return admin


async def test_a_nested_directory_query_costs_the_same_for_2_or_40_organizations(
    session, gql, statements
):
    admin = await arrange(session, organizations=2, people_each=2)
    # A first request, unmeasured: the compiled path then knows the admin, as for the others
    await gql.data(NESTED, as_=admin)
    statements.statements.clear()
    small = await gql.data(NESTED, as_=admin)
    small_count = statements.count

    await arrange(session, organizations=38, people_each=5)
    statements.statements.clear()
    large = await gql.data(NESTED, as_=admin)

    assert small["organizations"]["totalCount"] == 2
    assert large["organizations"]["totalCount"] == 40
    assert statements.count == small_count
    # Fixed costs (BEGIN, viewer, budget) plus one statement per level of the selection:
    # page, count, affiliations, people, their affiliations, organizations.
    selects = [s for s in statements.statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) <= 9, selects

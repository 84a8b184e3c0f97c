"""What a query costs: page sizes multiplied down the selection, one point per 100 objects."""

from __future__ import annotations

from graphql import parse

from hub.access.budgets.cost import PageSizes, objects_returned, points_for
from hub.interfaces.graphql.schema import schema

SIZES = PageSizes(default=50, maximum=500)
NESTED = """
{ organizations(first: 30) { edges { node {
    affiliations { person { affiliations { organization { name } } } }
} } } }
"""


def cost(document: str, variables: dict | None = None) -> int:
    return points_for(objects_returned(schema._schema, parse(document), None, variables, SIZES))


def test_a_page_costs_its_size_in_objects():
    document = parse("{ organizations(first: 10) { totalCount edges { node { name } } } }")

    assert objects_returned(schema._schema, document, None, None, SIZES) == 10
    assert cost("{ organizations(first: 10) { edges { node { name } } } }") == 1


def test_nested_lists_multiply_down_the_selection():
    # 30 organizations, 50 affiliations under each (a list without `first` counts at the
    # default page size), and 50 more affiliations under each of those people:
    # 30 + 30*50 + 30*50*50 = 76,530 objects, so 766 points.
    assert objects_returned(schema._schema, parse(NESTED), None, None, SIZES) == 76_530
    assert cost(NESTED) == 766


def test_a_page_without_first_counts_at_the_default_size():
    document = parse("{ organizations { edges { node { name } } } }")

    assert objects_returned(schema._schema, document, None, None, SIZES) == 50


def test_variables_and_fragments_count_alike():
    document = """
    query ($n: Int) { organizations(first: $n) { ...page } }
    fragment page on OrganizationConnection { edges { node { ... on Organization {
        affiliations { title } } } } }
    """

    # 200 + 200*50 = 10,200 objects
    assert cost(document, {"n": 200}) == 102
    # without `first`, the default page size: 50 + 50*50 = 2,550
    assert cost(document, {}) == 26


def test_first_counts_at_most_the_largest_page():
    assert cost("{ organizations(first: 100000) { edges { node { name } } } }") == 5


def test_a_single_object_and_introspection_cost_one_point():
    assert cost('{ organization(slug: "x") { name affiliations { title } } }') == 1
    assert cost("{ __schema { types { name fields { name args { name } } } } }") == 1

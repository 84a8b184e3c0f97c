"""Queries generated over the schema (hypothesis-graphql), restricted to mapped fields so that
most of them compile: for each, the compiled and normal answers are the same."""

from __future__ import annotations

from datetime import UTC, datetime

from graphql import GraphQLSchema, build_schema, print_schema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import nodes, queries

from hub.interfaces.graphql.compiled import registry
from hub.interfaces.graphql.schema import schema
from tests.graphql.compiled.differential import ROLES, Directory, Hub


def mapped_schema() -> GraphQLSchema:
    """The served schema with only the fields the compiler maps. Random cursors, ids and page
    sizes would only test the fallback, so `node`, `after` and `first` are left out (the
    corpus covers them)."""
    restricted = build_schema(print_schema(schema._schema))
    for name, mapping in registry.TYPES.items():
        fields = restricted.type_map[name].fields  # type: ignore[attr-defined]
        for field in [f for f in fields if f != "id" and f not in mapping.fields]:
            del fields[field]
    query = restricted.query_type
    assert query is not None
    for field in [f for f in query.fields if f not in registry.ROOTS]:
        del query.fields[field]
    for field in query.fields.values():
        field.args.pop("first", None)
        field.args.pop("after", None)
    return restricted


MAPPED = mapped_schema()
# Times around the seeded data's, with and without an offset (`updatedSince`, `deletedSince`).
TIMES = st.datetimes(datetime(1990, 1, 1), datetime(2100, 1, 1), timezones=st.none() | st.just(UTC))
# No NUL characters: PostgreSQL text refuses them, on either path, as a server error.
GENERATED = queries(
    MAPPED,
    allow_x00=False,
    custom_scalars={"DateTime": TIMES.map(lambda t: nodes.String(t.isoformat()))},
)


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(query=GENERATED, role=st.sampled_from(ROLES))
async def test_generated_queries_answer_alike(
    query: str, role: str, directory: Directory, compiled_hub: Hub, normal_hub: Hub
):
    token = directory.tokens[role]
    fast = await compiled_hub.ask(query, None, token)
    normal = await normal_hub.ask(query, None, token)

    assert (fast.status, fast.body) == (normal.status, normal.body)

"""The plan cache keeps refusals as reasons: asking for a query that falls back, again and
again, leaves nothing behind (no exception kept alive, no traceback growing per request)."""

from __future__ import annotations

import gc

from hub.access.auth.viewer import ANONYMOUS
from hub.infrastructure.config import Settings
from hub.interfaces.graphql.compiled.cache import Fallback, PlanCache
from hub.interfaces.graphql.compiled.executor import GraphQLRequest, compile_request
from hub.interfaces.graphql.compiled.plan import NotCompiled, Plan
from hub.interfaces.graphql.schema import schema

INTROSPECTION = "{ __schema { queryType { name } } }"


def live_not_compiled() -> list[NotCompiled]:
    gc.collect()
    return [o for o in gc.get_objects() if isinstance(o, NotCompiled)]


def traceback_frames(error: BaseException) -> int:
    frames, traceback = 0, error.__traceback__
    while traceback is not None:
        frames, traceback = frames + 1, traceback.tb_next
    return frames


def test_a_cached_fallback_leaves_no_exception_alive():
    # Given a query that falls back, asked once so that its refusal is cached
    request = GraphQLRequest(INTROSPECTION, None, {})
    assert compile_request(schema._schema, request, ANONYMOUS, Settings()) is None
    before = live_not_compiled()

    # When it is asked 200 times more
    for _ in range(200):
        assert compile_request(schema._schema, request, ANONYMOUS, Settings()) is None

    # Then no exception outlives its request, and none carries a traceback that grew
    after = live_not_compiled()
    assert len(after) <= len(before)
    assert [traceback_frames(error) for error in after] == [0] * len(after)


def test_the_cache_keeps_the_reason_not_an_exception():
    cache = PlanCache(schema._schema)

    first = cache.plan(INTROSPECTION, None)
    again = cache.plan(INTROSPECTION, None)

    assert first == again == Fallback("introspection")
    assert isinstance(cache.plan("{ viewer { name } }", None), Plan)

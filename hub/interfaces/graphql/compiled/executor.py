"""The compiled read path's entry: answer a POSTed query with one SQL statement, or return None
and let the normal path (strawberry) run it, unchanged.

The normal path's checks run here too, in the same order: the document's guards (in the
planner), the API client's scopes, then the budget, charged the same points the same way.
Anything the normal path would answer with an error goes to the normal path, which reports it.
On PostgreSQL the statement runs through asyncpg, on SQLite through aiosqlite
(hub/infrastructure/driver.py), each built by its dialect's builder (postgres.py, sqlite.py) from
the same plan and bindings.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
import weakref
from collections.abc import AsyncIterator, Awaitable, Hashable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import asyncpg
from graphql import GraphQLSchema
from graphql.execution.values import VariableValues, get_variable_values
from sqlalchemy import Dialect, func, select, true
from sqlalchemy.dialects.postgresql.asyncpg import PGDialect_asyncpg
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Message, Receive

from hub.access.auth.bearer import bearer_claims, viewer_of
from hub.access.auth.personal_tokens import note_use
from hub.access.auth.tokens import InvalidToken, TokenClaims
from hub.access.auth.viewer import ANONYMOUS, Viewer
from hub.access.budgets.buckets import (
    Charge,
    add_if_it_fits,
    admitted_charge,
    charge_returning,
    charge_values,
    charge_with,
)
from hub.access.budgets.callers import Caller
from hub.access.permissions import Forbidden
from hub.access.permissions.clients import require_operation_allowed
from hub.infrastructure.config import Settings
from hub.infrastructure.db_routing import CONNECTION_FAILURES, Database
from hub.infrastructure.driver import (
    ConnectionLost,
    DriverStatement,
    driver_connection,
    driver_reader,
    is_connection_error,
)
from hub.infrastructure.models.base import utcnow
from hub.infrastructure.search import SearchTooLong
from hub.interfaces.graphql.budget import price, rate_limit_headers, request_caller
from hub.interfaces.graphql.compiled import postgres, sqlite
from hub.interfaces.graphql.compiled.bindings import Bindings, bind
from hub.interfaces.graphql.compiled.cache import Fallback, PlanCache
from hub.interfaces.graphql.compiled.plan import NotCompiled, Plan
from hub.interfaces.graphql.compiled.sqlite_json import register_functions
from hub.interfaces.graphql.compiled.viewers import (
    RememberedViewers,
    facts_json,
    facts_of,
    viewer_from_facts,
)
from hub.interfaces.graphql.over_http import GRAPHQL_RESPONSE_JSON, wants_graphql_response_json
from hub.interfaces.runtime import Runtime

T = TypeVar("T")

logger = logging.getLogger(__name__)

# Shapes differ by viewer (their rules) and by which filters are given: a handful per plan.
MAX_SHAPES_PER_PLAN = 64
_plan_caches: weakref.WeakKeyDictionary[GraphQLSchema, PlanCache] = weakref.WeakKeyDictionary()
_viewers_by_engine: weakref.WeakKeyDictionary[Engine, RememberedViewers] = (
    weakref.WeakKeyDictionary()
)
# The replica's statements (PostgreSQL only) and compile_request's default.
_PG = PGDialect_asyncpg()
BUILDERS = {"postgresql": postgres.data_statement, "sqlite": sqlite.data_statement}
# JSON's `->` (3.38), RETURNING (3.35), FILTER on aggregates (3.30): older SQLite falls back.
SQLITE_HAS_ALL = sqlite3.sqlite_version_info >= (3, 38)
TOO_DEEP = "too deep"  # in a plan's statements: that shape's SQL is too deep for SQLite
# A statement the database refused: a bug in a mapping, never the caller's fault.
STATEMENT_ERRORS = (asyncpg.PostgresError, sqlite3.Error)


@dataclass(frozen=True)
class GraphQLRequest:
    query: str
    operation_name: str | None
    variables: dict[str, Any]


@dataclass(frozen=True)
class Compiled:
    schema: GraphQLSchema
    plan: Plan
    statement: DriverStatement
    params: dict[str, Any]
    request: GraphQLRequest
    shape: tuple[Hashable, ...]


class Clock:
    """Python's share of a request: the time from its start, less the time spent waiting for
    a connection and on the database (during which the event loop runs other requests)."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.waited = 0.0
        self.queued = 0.0  # waiting for a connection, behind other requests

    async def wait(self, pending: Awaitable[T]) -> T:
        began = time.perf_counter()
        try:
            return await pending
        finally:
            self.waited += time.perf_counter() - began

    @asynccontextmanager
    async def connection(self, engine: AsyncEngine) -> AsyncIterator[Any]:
        began = time.perf_counter()
        async with driver_connection(engine, register_functions) as connection:
            self.queued += time.perf_counter() - began
            yield connection

    def server_timing(self) -> str:
        python_ms = (time.perf_counter() - self.started - self.waited - self.queued) * 1000
        return (
            f"python;dur={python_ms:.3f}, queue;dur={self.queued * 1000:.3f}, "
            f"db;dur={self.waited * 1000:.3f}"
        )


async def compiled_response(
    request: Request, runtime: Runtime, reading: Database | None = None
) -> Response | None:
    """The answer to a read the compiled path can give, or None for the normal path.

    One pooled connection, used straight through the driver, and one statement (its own
    transaction: no session, no BEGIN/COMMIT, no ping) that builds the answer, reads the
    viewer's facts again (see viewers.py) and charges the caller's budget, last, so that the
    bucket's row is locked only for the moment before the commit. A viewer the process has not
    seen costs one lookup first. Whatever the normal path would answer with an error (a bad
    token, a refused field, a spent budget) is left to it, so it reports it.

    `reading` is the database the data is read from (hub/infrastructure/db_routing.py); on a
    replica, the budget is charged on the primary first, in a statement of its own."""
    if not compiles_on(runtime.settings, runtime.engine.dialect):
        return None
    if not _is_json_post(request):
        return None
    clock = Clock()
    graphql_request = _graphql_request(await _remembered_body(request))
    if graphql_request is None:
        return None
    try:
        claims = bearer_claims(request.headers.get("authorization"), runtime.signer)
    except InvalidToken:
        return None
    schema = runtime.schema._schema
    if isinstance(
        plans_for(schema).plan(graphql_request.query, graphql_request.operation_name), Fallback
    ):
        return None  # before looking anyone up: the normal path will, for itself
    primary = runtime.routing.primary
    try:
        try:
            answer = _answered(request, runtime, reading or primary, graphql_request, claims, clock)
            response = await answer
        except CONNECTION_FAILURES as error:
            if reading is None or reading is primary or runtime.routing.replica is None:
                raise
            runtime.routing.replica.failed(error)
            response = await _answered(request, runtime, primary, graphql_request, claims, clock)
    except ConnectionLost:
        logger.warning("the database connection broke; answering on the normal path")
        return None
    if response is not None:
        # After the answer's connection went back: a token's use never holds two at once.
        await note_use(runtime.sessions, getattr(request.state, "personal_token_id", None))
    return response


async def _answered(
    request: Request,
    runtime: Runtime,
    reading: Database,
    graphql_request: GraphQLRequest,
    claims: TokenClaims | None,
    clock: Clock,
) -> Response | None:
    settings, engine, schema = runtime.settings, reading.engine, runtime.schema._schema
    dialect = engine.dialect
    charged_elsewhere = reading is not runtime.routing.primary
    remembered = _remembered_viewers(engine)
    viewer: Viewer | None
    async with clock.connection(engine) as connection:
        if charged_elsewhere:
            # A credential is the primary's to judge: a replica may not have replayed its
            # revocation yet. Only the data is read from the replica.
            try:
                viewer = await clock.wait(_viewer_on_primary(runtime, claims))
            except InvalidToken:
                return None  # the normal path refuses it, saying why
        else:
            viewer = ANONYMOUS if claims is None else remembered.get(claims)
        if viewer is None:
            assert claims is not None
            try:
                viewer = await clock.wait(viewer_of(claims, driver_reader(connection, dialect)))
            except InvalidToken:
                return None
            remembered.remember(claims, viewer)
        spent: Charge | None = None
        for _ in range(2):
            charging = spent is None and not charged_elsewhere
            compiled = compile_request(schema, graphql_request, viewer, settings, charging, dialect)
            if compiled is None:
                return None
            caller, now = request_caller(request, viewer, settings), utcnow()
            cost = price(
                schema,
                compiled.plan.document,
                graphql_request.operation_name,
                graphql_request.variables,
                settings,
            )
            if not caller.could_ever_afford(cost):
                return None  # refused as too costly: the normal path says so
            if spent is None and charged_elsewhere:
                spent = await clock.wait(_charged_on_primary(runtime, caller, cost, now))
                if not spent.admitted:
                    return None  # it did not fit, and spent nothing: the normal path refuses
            values = compiled.params
            if spent is None:
                values = {**values, **charge_values(caller, cost, now)}
            try:
                row = await clock.wait(compiled.statement.fetchrow(connection, values))
            except STATEMENT_ERRORS as error:
                if is_connection_error(error):
                    raise  # the connection is gone, not the statement: see compiled_response
                if _too_deep(error):
                    # SQLite's parser has a fixed depth (about three connections within each
                    # other): requests of this shape go to the normal path from now on.
                    compiled.plan.statements[compiled.shape] = TOO_DEEP
                    logger.info("a read nested too deeply for SQLite; on the normal path")
                    return None
                # A bug in a mapping, never the caller's fault: log it, let the normal path answer.
                logger.exception("compiled read failed; answering on the normal path")
                return None
            if spent is None:
                if row is None or row[-1] is None:
                    return None  # it did not fit, and spent nothing: the normal path refuses
                spent = admitted_charge(caller, cost, row[-1], now)
            if claims is None or charged_elsewhere or _facts_hold(claims, viewer, row[1]):
                # Written once this connection is back in the pool (see compiled_response).
                request.state.personal_token_id = viewer.token_id
                return _answer(request, spent, _utf8(row[0]), clock)
            # The viewer's facts changed since they were remembered: plan again for them (the
            # budget is charged already).
            try:
                viewer = viewer_from_facts(claims, row[1])
            except InvalidToken:
                remembered.forget(claims)
                return None
            remembered.remember(claims, viewer)
    return None  # changed twice while we asked: the normal path reads them in its own way


async def _charged_on_primary(runtime: Runtime, caller: Caller, cost: int, now: Any) -> Charge:
    async with driver_connection(runtime.engine) as connection:
        return await charge_with(driver_reader(connection, _PG), _PG, caller, cost, now)


async def _viewer_on_primary(runtime: Runtime, claims: TokenClaims | None) -> Viewer:
    if claims is None:
        return ANONYMOUS
    async with driver_connection(runtime.engine) as connection:
        return await viewer_of(claims, driver_reader(connection, _PG))


def _facts_hold(claims: TokenClaims, viewer: Viewer, facts: str) -> bool:
    try:
        return viewer_from_facts(claims, facts) == viewer
    except InvalidToken:
        return False


def _remembered_viewers(engine: AsyncEngine) -> RememberedViewers:
    remembered = _viewers_by_engine.get(engine.sync_engine)
    if remembered is None:
        remembered = _viewers_by_engine[engine.sync_engine] = RememberedViewers()
    return remembered


def compiles_on(settings: Settings, dialect: Dialect) -> bool:
    """Whether reads on this database may take the compiled path."""
    if dialect.name == "sqlite":
        return settings.compiled_reads and settings.compiled_reads_sqlite and SQLITE_HAS_ALL
    return settings.compiled_reads and dialect.name in BUILDERS


def _utf8(document: str | bytes) -> bytes:
    """The answer's bytes: PostgreSQL's already are; SQLite gives text."""
    return document.encode() if isinstance(document, str) else bytes(document)


def compile_request(
    schema: GraphQLSchema,
    graphql_request: GraphQLRequest,
    viewer: Viewer,
    settings: Settings,
    charging: bool = False,
    dialect: Dialect = _PG,
) -> Compiled | None:
    """The plan, statement and values for this request, or None when it goes to the normal
    path. Pure Python: this is the compiled path's whole cost outside the database. With
    `charging`, the statement also charges the budget (values: budgets.charge_values), in
    its last column."""
    try:
        return _compiled(schema, graphql_request, viewer, settings, charging, dialect)
    except (NotCompiled, Forbidden, SearchTooLong):
        return None  # the normal path answers, or refuses with the reason
    except Exception:
        # A bug here must not cost the caller an answer: the normal path still gives one.
        logger.exception("compiling a read failed; answering on the normal path")
        return None


def why_not_compiled(
    schema: GraphQLSchema, graphql_request: GraphQLRequest, viewer: Viewer, settings: Settings
) -> str | None:
    """The reason a request goes to the normal path, or None when it compiles (for tests)."""
    try:
        _compiled(schema, graphql_request, viewer, settings)
    except (NotCompiled, Forbidden) as reason:
        return str(reason)
    return None


def _compiled(
    schema: GraphQLSchema,
    graphql_request: GraphQLRequest,
    viewer: Viewer,
    settings: Settings,
    charging: bool = False,
    dialect: Dialect = _PG,
) -> Compiled:
    plan = plans_for(schema).plan(graphql_request.query, graphql_request.operation_name)
    if isinstance(plan, Fallback):
        raise NotCompiled(plan.reason)  # a new one each time: see Fallback
    bindings = bind(plan, viewer, _coerced(schema, plan, graphql_request.variables), settings)
    statement, shape = _statement(plan, bindings, charging, dialect)
    # The normal path's ClientScopes check: a client without `peer:read` is refused there.
    require_operation_allowed(viewer, "query")
    return Compiled(schema, plan, statement, bindings.params, graphql_request, shape)


def _too_deep(error: Exception) -> bool:
    return isinstance(error, sqlite3.OperationalError) and "parser stack overflow" in str(error)


def _statement(
    plan: Plan, bindings: Bindings, charging: bool, dialect: Dialect
) -> tuple[DriverStatement, tuple[Hashable, ...]]:
    """The statement of an earlier request of the same shape, or a new one (kept), compiled
    for the driver once. Its columns: the answer; a person's or client's facts, read again
    (their values join the request's); with `charging`, the points used after the charge, or
    null (on SQLite: no row) when it did not fit."""
    facts = facts_of(bindings.viewer)
    shape = (*bindings.shape, facts[0] if facts else "no facts", charging, dialect.name)
    statement = plan.statements.get(shape)
    if statement is TOO_DEEP:
        raise NotCompiled("nested too deeply for SQLite's parser")
    if statement is None:
        data = BUILDERS[dialect.name](plan, bindings)
        if facts is not None:
            data = data.add_columns(facts_json(facts[1], dialect.name))
        built: Any = data
        if charging and dialect.name == "sqlite":
            # SQLite runs no INSERT inside a SELECT, but takes the answer as the charge's
            # RETURNING: one statement still, and no row when the charge does not fit.
            built = charge_returning("sqlite", *map(sqlite.Qualified, data.selected_columns))
        elif charging:
            built = data.add_columns(_charged_points())
        statement = DriverStatement(built, dialect)
        if len(plan.statements) < MAX_SHAPES_PER_PLAN:
            plan.statements[shape] = statement
    if facts is not None:
        bindings.params.update(facts[2])
    return statement, shape


def _charged_points() -> Any:
    """The budget's charge as the statement's last column. It is evaluated after the columns
    before it, so the bucket's row lock it takes is held only from then to the commit, not
    while the answer is built. Its transaction writes nothing else, so it commits without
    waiting for the WAL's flush (`synchronous_commit` off, for this transaction only): a
    server crash may forget the last moment's charges, never anything else, and one caller's
    concurrent requests do not queue behind each other's disk flushes on the bucket's row."""
    charge = add_if_it_fits("postgresql").cte("charge")
    flush_not_awaited = func.set_config("synchronous_commit", "off", true()) == "off"
    return select(charge.c.points).where(flush_not_awaited).scalar_subquery()


def plans_for(schema: GraphQLSchema) -> PlanCache:
    cache = _plan_caches.get(schema)
    if cache is None:
        cache = _plan_caches[schema] = PlanCache(schema)
    return cache


def body_replayed(request: Request) -> Receive:
    """The request's receive channel for the normal path: the body again if we read it."""
    body = getattr(request.state, "compiled_reads_body", None)
    if body is None:
        return request.receive

    async def receive() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


async def posted_graphql_request(request: Request) -> GraphQLRequest | None:
    """The GraphQL request of a JSON POST (its body kept for the normal path), or None."""
    if not _is_json_post(request):
        return None
    return _graphql_request(await _remembered_body(request))


def _is_json_post(request: Request) -> bool:
    content_type = request.headers.get("content-type", "")
    return request.method == "POST" and content_type.startswith("application/json")


async def _remembered_body(request: Request) -> bytes:
    body = getattr(request.state, "compiled_reads_body", None)
    if body is None:
        body = request.state.compiled_reads_body = await request.body()
    return body  # type: ignore[no-any-return]


def _graphql_request(body: bytes) -> GraphQLRequest | None:
    try:
        parsed = json.loads(body)
    except ValueError:
        return None
    if not isinstance(parsed, dict) or not isinstance(parsed.get("query"), str):
        return None
    operation_name = parsed.get("operationName")
    variables = parsed.get("variables") or {}
    if not isinstance(operation_name, str | None) or not isinstance(variables, dict):
        return None
    return GraphQLRequest(parsed["query"], operation_name, variables)


def _coerced(schema: GraphQLSchema, plan: Plan, variables: dict[str, Any]) -> VariableValues:
    coerced = get_variable_values(schema, plan.operation.variable_definitions or (), variables)
    if isinstance(coerced, list):
        raise NotCompiled("variables that do not coerce")
    return coerced


def _answer(request: Request, spent: Charge, body: bytes, clock: Clock) -> Response:
    media_type = (
        GRAPHQL_RESPONSE_JSON if wants_graphql_response_json(request) else "application/json"
    )
    headers = rate_limit_headers(spent)
    headers["Server-Timing"] = clock.server_timing()
    return Response(body, media_type=media_type, headers=headers)

"""The compiled read path's entry: answer a POSTed query with one SQL statement, or return None
and let the normal path (strawberry) run it, unchanged.

The normal path's checks run here too, in the same order: the document's guards (in the
planner), the API client's scopes, then the budget, charged the same points the same way.
Anything the normal path would answer with an error goes to the normal path, which reports it.
SQLite falls back entirely: it has no base64 for global ids and cursors (see README).
"""

from __future__ import annotations

import json
import logging
import weakref
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLSchema
from graphql.execution.values import VariableValues, get_variable_values
from sqlalchemy import Select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Message, Receive

from hub.auth.viewer import Viewer
from hub.budgets.buckets import Charge, charge
from hub.budgets.callers import caller_of
from hub.budgets.cost import PageSizes, objects_returned, points_for
from hub.config import Settings
from hub.graphql.budget import set_rate_limit_headers
from hub.graphql.compiled.bindings import Bindings, bind
from hub.graphql.compiled.cache import PlanCache
from hub.graphql.compiled.plan import NotCompiled, Plan
from hub.graphql.compiled.postgres import data_statement
from hub.graphql.context import Context
from hub.models.base import utcnow
from hub.permissions import Forbidden
from hub.permissions.clients import require_operation_allowed
from hub.runtime import Runtime
from hub.web.graphql_over_http import GRAPHQL_RESPONSE_JSON, wants_graphql_response_json

logger = logging.getLogger(__name__)

# Shapes differ by viewer (their rules) and by which filters are given: a handful per plan.
MAX_SHAPES_PER_PLAN = 64
_plan_caches: weakref.WeakKeyDictionary[GraphQLSchema, PlanCache] = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class GraphQLRequest:
    query: str
    operation_name: str | None
    variables: dict[str, Any]


@dataclass(frozen=True)
class Compiled:
    schema: GraphQLSchema
    plan: Plan
    statement: Select[tuple[str]]
    params: dict[str, Any]
    request: GraphQLRequest


async def compiled_response(
    request: Request,
    session: AsyncSession,
    viewer: Viewer,
    runtime: Runtime,
) -> Response | None:
    """The answer to a read the compiled path can give, or None for the normal path."""
    settings = runtime.settings
    if not settings.compiled_reads or not _is_json_post(request):
        return None
    if session.get_bind().dialect.name != "postgresql":
        return None
    graphql_request = _graphql_request(await _remembered_body(request))
    if graphql_request is None:
        return None
    compiled = compile_request(runtime.schema._schema, graphql_request, viewer, settings)
    if compiled is None:
        return None
    context = Context(session, viewer, settings, request=request, response=Response())
    spent = await _charge_budget(context, compiled)
    if not spent.admitted:
        return None  # the normal path refuses it (a refused charge spends nothing)
    body = await _run(session, compiled)
    if body is None:
        return None
    return _answer(context, spent, body)


def compile_request(
    schema: GraphQLSchema, graphql_request: GraphQLRequest, viewer: Viewer, settings: Settings
) -> Compiled | None:
    """The plan, statement and values for this request, or None when it goes to the normal
    path. Pure Python: this is the compiled path's whole cost outside the database."""
    try:
        return _compiled(schema, graphql_request, viewer, settings)
    except (NotCompiled, Forbidden):
        return None
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
    schema: GraphQLSchema, graphql_request: GraphQLRequest, viewer: Viewer, settings: Settings
) -> Compiled:
    plan = plans_for(schema).plan(
        graphql_request.query, graphql_request.operation_name, viewer.roles
    )
    bindings = bind(plan, viewer, _coerced(schema, plan, graphql_request.variables), settings)
    statement = _statement(plan, bindings)
    # The normal path's ClientScopes check: a client without `peer:read` is refused there.
    require_operation_allowed(viewer, "query")
    return Compiled(schema, plan, statement, bindings.params, graphql_request)


def _statement(plan: Plan, bindings: Bindings) -> Select[tuple[str]]:
    """The statement of an earlier request of the same shape, or a new one (kept)."""
    shape = tuple(bindings.shape)
    statement = plan.statements.get(shape)
    if statement is None:
        statement = data_statement(plan, bindings)
        if len(plan.statements) < MAX_SHAPES_PER_PLAN:
            plan.statements[shape] = statement
    return statement  # type: ignore[no-any-return]


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


def _is_json_post(request: Request) -> bool:
    content_type = request.headers.get("content-type", "")
    return request.method == "POST" and content_type.startswith("application/json")


async def _remembered_body(request: Request) -> bytes:
    body = await request.body()
    request.state.compiled_reads_body = body
    return body


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


async def _charge_budget(context: Context, compiled: Compiled) -> Charge:
    """hub/graphql/budget.py's charge, the same points for the same document: committed
    before the query runs, in its own statement (not the compiled one)."""
    settings = context.settings
    sizes = PageSizes(settings.default_page_size, settings.max_page_size)
    objects = objects_returned(
        compiled.schema,
        compiled.plan.document,
        compiled.request.operation_name,
        compiled.request.variables,
        sizes,
    )
    assert context.request is not None
    client = context.request.client
    caller = caller_of(context.viewer, client.host if client else None, settings)
    spent = await charge(context.session, caller, points_for(objects), utcnow())
    await context.session.commit()
    return spent


async def _run(session: AsyncSession, compiled: Compiled) -> bytes | None:
    connection = await session.connection()
    try:
        text = (await connection.execute(compiled.statement, compiled.params)).scalar_one()
    except DBAPIError:
        # A bug in a mapping, never the caller's fault: log it, and let the normal path answer.
        logger.exception("compiled read failed; answering on the normal path")
        await session.rollback()
        return None
    await session.commit()
    return str(text).encode()


def _answer(context: Context, spent: Charge, body: bytes) -> Response:
    assert context.request is not None and context.response is not None
    media_type = (
        GRAPHQL_RESPONSE_JSON
        if wants_graphql_response_json(context.request)
        else "application/json"
    )
    response = Response(body, media_type=media_type)
    set_rate_limit_headers(context, spent)
    for name, value in context.response.headers.items():
        if name not in ("content-length", "content-type"):
            response.headers[name] = value
    return response

"""Charges every query to its caller's budget before it runs, and reports the budget in the
RateLimit-* headers (IETF draft) on every answer; an exhausted budget answers 429. A query
costlier than a whole budget is refused as too costly (QUERY_TOO_COSTLY), charging nothing:
no Retry-After would ever make it fit. It runs after the document's guards (depth, aliases,
tokens: validation), so they answer first."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from graphql import DocumentNode, ExecutionResult, GraphQLError, GraphQLSchema
from starlette.requests import HTTPConnection
from strawberry.extensions import SchemaExtension

from hub.access.auth.viewer import Viewer
from hub.access.budgets.buckets import Charge, charge, usage
from hub.access.budgets.callers import Caller, caller_of
from hub.access.budgets.cost import PageSizes, objects_returned, points_for
from hub.infrastructure.config import Settings
from hub.infrastructure.models.base import utcnow
from hub.infrastructure.observability.hooks import budget_refused
from hub.interfaces.graphql.context import Context
from hub.interfaces.graphql.rate_limit import charge_of, remember_charge
from hub.interfaces.web.client_address import client_address


class Budget(SchemaExtension):
    async def on_execute(self) -> AsyncIterator[None]:  # type: ignore[override]
        context: Context = self.execution_context.context
        caller = _caller(context)
        if caller is not None and self.execution_context.result is None:
            self.execution_context.result = await self._charged(context, caller)
        yield

    async def _charged(self, context: Context, caller: Caller) -> ExecutionResult | None:
        """Charges the query to the caller; the refusal to answer instead, if it is one."""
        cost = self._cost(context)
        if not caller.could_ever_afford(cost):
            budget_refused(caller.key, "too_costly")
            return _too_costly(cost, caller)
        spent = await charge(context.budget_session, caller, cost, utcnow())
        # The charge commits now, before the request's unit of work begins, so it holds
        # even when a mutation then rolls back (and SQLite's write lock is released).
        await context.budget_session.commit()
        remember_charge(context, spent)
        return None if spent.admitted else _refusal(spent)

    async def on_operation(self) -> AsyncIterator[None]:  # type: ignore[override]
        yield
        context: Context = self.execution_context.context
        caller = _caller(context)
        if caller is None or context.response is None:
            return
        # A document refused by parsing or validation ran nothing: it is reported, not charged.
        spent = charge_of(context) or await usage(context.budget_session, caller, utcnow())
        set_rate_limit_headers(context, spent)

    def _cost(self, context: Context) -> int:
        execution = self.execution_context
        assert execution.graphql_document is not None
        return price(
            execution.schema._schema,
            execution.graphql_document,
            execution.operation_name,
            execution.variables,
            context.settings,
        )


def price(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: dict[str, Any] | None,
    settings: Settings,
) -> int:
    """The points a document costs, the same on both read paths."""
    sizes = PageSizes(settings.default_page_size, settings.max_page_size)
    return points_for(objects_returned(schema, document, operation_name, variables, sizes))


def request_caller(request: HTTPConnection, viewer: Viewer, settings: Settings) -> Caller:
    return caller_of(viewer, client_address(request, settings.trusted_proxies), settings)


def _caller(context: Context) -> Caller | None:
    """Calls from outside over HTTP are budgeted; in-process executions are not."""
    if context.request is None:
        return None
    return request_caller(context.request, context.viewer, context.settings)


def _refusal(spent: Charge) -> ExecutionResult:
    message = (
        f"Rate limit exceeded: this query costs {spent.cost} points and {spent.remaining} of "
        f"{spent.limit} remain until {spent.reset_at.isoformat()}."
    )
    error = GraphQLError(message, extensions={"code": "RATE_LIMITED", "cost": spent.cost})
    return ExecutionResult(data=None, errors=[error])


def _too_costly(cost: int, caller: Caller) -> ExecutionResult:
    message = f"too costly: {cost} points, the limit is {caller.limit}"
    extensions = {"code": "QUERY_TOO_COSTLY", "cost": cost, "limit": caller.limit}
    return ExecutionResult(data=None, errors=[GraphQLError(message, extensions=extensions)])


def set_rate_limit_headers(context: Context, spent: Charge) -> None:
    assert context.response is not None
    context.response.headers.update(rate_limit_headers(spent))
    if not spent.admitted:
        context.response.status_code = 429


def rate_limit_headers(spent: Charge) -> dict[str, str]:
    reset = str(spent.seconds_to_reset(utcnow()))
    headers = {
        "RateLimit-Limit": str(spent.limit),
        "RateLimit-Remaining": str(spent.remaining),
        "RateLimit-Reset": reset,
    }
    if not spent.admitted:
        headers["Retry-After"] = reset
    return headers

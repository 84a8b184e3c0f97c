"""`/graphql`: authenticates, opens the request's session, and hands over to strawberry."""

from __future__ import annotations

import time
from typing import Any

import strawberry
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import Receive, Scope, Send
from strawberry import UNSET
from strawberry.asgi import GraphQL

from hub.access.auth.personal_tokens import note_use
from hub.access.auth.tokens import InvalidToken
from hub.infrastructure.db_routing import Database
from hub.infrastructure.observability.operations import graphql_answered, operation_label
from hub.interfaces.graphql.compiled.executor import (
    body_replayed,
    compiled_response,
    posted_graphql_request,
)
from hub.interfaces.graphql.context import Context
from hub.interfaces.graphql.over_http import as_graphql_response_json, wants_graphql_response_json
from hub.interfaces.runtime import Runtime
from hub.interfaces.web.database_choice import (
    authenticate_reader,
    budget_session,
    graphql_database,
    session_on,
)
from hub.interfaces.web.graphiql import offline_graphiql
from hub.interfaces.web.graphql_body import refused_request


class HubGraphQL(GraphQL[Context, None]):
    async def get_context(self, request: Any, response: Any) -> Context:
        state = request.scope["state"]
        return Context(
            session=state["session"],
            ledger=state["ledger"],
            viewer=state["viewer"],
            settings=state["runtime"].settings,
            request=request,
            response=response,
        )

    def __init__(self, schema: strawberry.Schema) -> None:
        super().__init__(schema, graphql_ide="graphiql")
        # Made once: a strawberry whose page no longer fits fails at start-up, not per request.
        self.offline_ide_html = offline_graphiql(self.graphql_ide_html)

    async def render_graphql_ide(self, request: Request) -> Response:
        return HTMLResponse(self.offline_ide_html)

    async def execute_single(self, *args: Any, **kwargs: Any) -> Any:
        # OneOperationOrAName needs to know whether the client named the operation (strawberry
        # otherwise falls back to the document's first operation).
        request_data = kwargs["request_data"]
        kwargs["context"].operation_name_given = request_data.operation_name is not None
        kwargs["context"].request.scope["state"]["graphql_operation"] = operation_label(
            request_data.query, request_data.operation_name
        )
        return await super().execute_single(*args, **kwargs)

    async def run(self, request: Any, context: Any = UNSET, root_value: Any = UNSET) -> Any:
        response = await super().run(request, context, root_value)
        if (
            isinstance(response, Response)
            and response.media_type == "application/json"
            and wants_graphql_response_json(request)
        ):
            return as_graphql_response_json(response)
        return response


def unauthenticated(message: str) -> Response:
    body = {"errors": [{"message": message, "extensions": {"code": "UNAUTHENTICATED"}}]}
    headers = {"WWW-Authenticate": 'Bearer error="invalid_token"'}
    return JSONResponse(body, status_code=401, headers=headers)


class GraphQLEndpoint:
    """An ASGI endpoint: one session per request, closed when the response is sent."""

    def __init__(self, schema: strawberry.Schema) -> None:
        self.graphql = HubGraphQL(schema)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        runtime: Runtime = request.app.state.runtime
        started = time.perf_counter()
        refused = await refused_request(request)
        if refused is not None:
            await refused(scope, receive, send)
            return
        # Compiled reads (issue 10): a query hub/interfaces/graphql/compiled can answer in one SQL
        # statement is answered there, on one connection and without a session; anything
        # else goes on to strawberry unchanged.
        database = await graphql_database(request)
        compiled = await compiled_response(request, runtime, database)
        if compiled is not None:
            await compiled(scope, receive, send)
            operation = await _compiled_operation(request)
            graphql_answered(operation, "compiled", _name_of(database, runtime), started)
            return
        async with (
            session_on(database, runtime) as session,
            budget_session(session, runtime) as ledger,
        ):
            try:
                viewer = await authenticate_reader(request, session, runtime)
            except InvalidToken as error:
                await unauthenticated(str(error))(scope, receive, send)
                return
            state = scope.setdefault("state", {})
            state.update(session=session, ledger=ledger, viewer=viewer, runtime=runtime)
            await self.graphql(scope, body_replayed(request), send)
        # After the request's own session: on SQLite it holds the write lock until closed.
        await note_use(runtime.sessions, viewer.token_id)
        if operation := scope["state"].get("graphql_operation"):
            graphql_answered(operation, "normal", _name_of(database, runtime), started)


async def _compiled_operation(request: Request) -> str:
    """The compiled path answered a JSON body it read (and kept): its operation's name."""
    posted = await posted_graphql_request(request)
    assert posted is not None  # the compiled path answers nothing else
    return operation_label(posted.query, posted.operation_name)


def _name_of(database: Database, runtime: Runtime) -> str:
    return "primary" if database is runtime.routing.primary else "replica"

"""The one place a request's database is chosen (hub/infrastructure/db_routing.py decides; this asks
it), and the marker every write leaves with its client so that its next reads see it.

Routes that only read (GraphQL queries on both read paths, the .ics files and feeds, the
attendee CSV) take their sessions from `reading_database`; everything else uses the primary.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from functools import lru_cache
from typing import TypeVar

from graphql import GraphQLError, OperationType, get_operation_ast, parse
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hub.access.auth.viewer import Viewer
from hub.infrastructure.db_routing import Database
from hub.interfaces.graphql.compiled.executor import posted_graphql_request
from hub.interfaces.runtime import Runtime
from hub.interfaces.web.authentication import authenticate, bearer_token

logger = logging.getLogger(__name__)
T = TypeVar("T")

MARKER_COOKIE = "hub_primary_position"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Set in the request's state by a POST that only read (a GraphQL query): it leaves no marker.
READS_ONLY = "hub_reads_only"


async def reading_database(request: HTTPConnection) -> Database:
    """Where this request, which only reads, reads from."""
    runtime: Runtime = request.app.state.runtime
    request.scope.setdefault("state", {})[READS_ONLY] = True
    return await runtime.routing.for_reading(request.cookies.get(MARKER_COOKIE))


@asynccontextmanager
async def session_on(database: Database, runtime: Runtime) -> AsyncIterator[AsyncSession]:
    """A session on the chosen database; on the primary instead when that is a replica that
    fails now (it is then skipped, with a warning)."""
    replica = runtime.routing.replica
    opened = None
    if replica is not None and database is replica.database:
        opened = await replica.session()
    async with opened or runtime.sessions() as session:
        yield session


@asynccontextmanager
async def budget_session(
    session: AsyncSession, runtime: Runtime
) -> AsyncIterator[AsyncSession | None]:
    """A session on the primary for budget charges when `session` reads from a replica;
    None (the charge goes on `session` itself) when it is the primary's."""
    if session.bind is runtime.engine:
        yield None
        return
    async with runtime.sessions() as ledger:
        yield ledger


async def read_found(
    request: HTTPConnection, read: Callable[[AsyncSession], Awaitable[T | None]]
) -> T | None:
    """What `read` finds on the request's reading database. What a replica does not find is
    looked for on the primary too, since it may be moments old (a feed just made, and fetched
    at once by a calendar app that holds no marker)."""
    runtime: Runtime = request.app.state.runtime
    database = await reading_database(request)
    async with session_on(database, runtime) as session:
        found = await read(session)
        on_replica = session.bind is not runtime.engine
    if found is None and on_replica:
        async with runtime.sessions() as session:
            found = await read(session)
    return found


async def authenticate_reader(
    request: HTTPConnection, session: AsyncSession, runtime: Runtime
) -> Viewer:
    """The request's viewer. A credential is always judged on the primary: a replica may not
    have replayed a token made, or revoked, moments ago. The read itself stays on the
    replica."""
    if session.bind is runtime.engine or bearer_token(request) is None:
        return await authenticate(request, session, runtime.signer)
    async with runtime.sessions() as primary:
        return await authenticate(request, primary, runtime.signer)


async def graphql_database(request: Request) -> Database:
    """A GraphQL request's database: for a query, as for any read; otherwise the primary."""
    runtime: Runtime = request.app.state.runtime
    if runtime.routing.replica is None or not await _asks_a_query(request):
        return runtime.routing.primary
    return await reading_database(request)


async def _asks_a_query(request: Request) -> bool:
    if request.method == "GET":
        query = request.query_params.get("query")
        operation_name = request.query_params.get("operationName")
    else:
        posted = await posted_graphql_request(request)
        if posted is None:
            return False
        query, operation_name = posted.query, posted.operation_name
    return query is not None and is_query(query, operation_name)


def is_query(document: str, operation_name: str | None) -> bool:
    """Whether the operation the request runs is a query (not a mutation or subscription);
    a document that does not parse is answered by the primary, which reports it."""
    if len(document) > CACHED_DOCUMENT_CHARS:
        return _is_query(document, operation_name)
    return _remembered_is_query(document, operation_name)


def _is_query(document: str, operation_name: str | None) -> bool:
    try:
        operation = get_operation_ast(parse(document), operation_name)
    except GraphQLError:
        return False
    return operation is not None and operation.operation == OperationType.QUERY


# Clients send the same few documents again and again; a long one is not kept (512 of them
# could hold a lot of memory), only parsed again.
CACHED_DOCUMENT_CHARS = 8192
_remembered_is_query = lru_cache(maxsize=512)(_is_query)


class MarkWrites:
    """Every request that may have written (an unsafe method that did not only read) is
    answered with a signed marker of the primary's WAL position after its commit: the client's
    reads go to the primary until the replica has applied it. Without a replica, nothing."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        runtime: Runtime = scope["app"].state.runtime
        if runtime.routing.replica is None:
            await self.app(scope, receive, send)
            return

        async def send_marked(message: Message) -> None:
            if message["type"] == "http.response.start" and not _read_only(scope):
                await _add_marker(runtime, message)
            await send(message)

        await self.app(scope, receive, send_marked)


def _read_only(scope: Scope) -> bool:
    return bool(scope.get("state", {}).get(READS_ONLY))


async def _add_marker(runtime: Runtime, message: Message) -> None:
    try:
        marker = await runtime.routing.marker_after_write()
    except Exception:
        # The write is done and answered; without a marker its author may briefly read from
        # a replica that has not applied it yet, which is better than losing the answer.
        logger.exception("could not read the primary's WAL position after a write")
        return
    secure = "; Secure" if runtime.settings.base_url.startswith("https://") else ""
    cookie = (
        f"{MARKER_COOKIE}={marker}; Max-Age={runtime.routing.sticky_seconds}; Path=/; HttpOnly; "
        f"SameSite=Lax{secure}"
    )
    MutableHeaders(scope=message).append("set-cookie", cookie)

"""Builds the Starlette app: routes, middleware and the lifespan that holds the runtime."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import strawberry
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.routing import Route

from hub.infrastructure.config import Settings
from hub.infrastructure.observability.endpoint import MetricsEndpoint
from hub.infrastructure.observability.pool import observe_pool
from hub.infrastructure.observability.requests import ObservedRequests
from hub.interfaces.runtime import Runtime
from hub.interfaces.web.attendees import attendees_csv
from hub.interfaces.web.body_limit import BodyLimit
from hub.interfaces.web.calendar import convening_ics, feed_ics
from hub.interfaces.web.database_choice import MarkWrites
from hub.interfaces.web.graphql_endpoint import GraphQLEndpoint
from hub.interfaces.web.health import healthz, readyz
from hub.interfaces.web.oauth import oauth_token
from hub.interfaces.web.pages import people_import
from hub.interfaces.web.pages.routes import page_routes
from hub.interfaces.web.security_headers import SecurityHeaders
from hub.interfaces.web.sendgrid_webhook import sendgrid_events
from hub.worker import delivering_in_process


def create_app(
    settings: Settings | None = None, schema: strawberry.Schema | None = None
) -> Starlette:
    settings = settings or Settings.from_env()
    if schema is None:
        from hub.interfaces.graphql.schema import schema as default_schema

        schema = default_schema

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.runtime = await Runtime.start(settings, schema)
        observe_pool(app.state.runtime.engine, "primary")
        if (replica := app.state.runtime.routing.replica) is not None:
            observe_pool(replica.database.engine, "replica")
        # What is loaded by now (the schema, the models, the compiled path's mappings) lives
        # as long as the process: out of the collector's sight, its full passes stay short,
        # which keeps them out of the slowest requests' latency.
        gc.freeze()
        try:
            async with delivering_in_process(app.state.runtime):
                yield
        finally:
            await app.state.runtime.stop()

    routes = [
        Route("/graphql", GraphQLEndpoint(schema), methods=["GET", "POST"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        Route("/metrics", MetricsEndpoint(settings.metrics_token, _engine_of), methods=["GET"]),
        Route("/convenings/{id}/attendees.csv", attendees_csv, methods=["GET"]),
        Route("/oauth/token", oauth_token, methods=["POST"]),
        Route("/calendar/convenings/{id}.ics", convening_ics, methods=["GET"]),
        Route("/calendar/feeds/{token}.ics", feed_ics, methods=["GET"]),
        Route("/webhooks/sendgrid", sendgrid_events, methods=["POST"]),
        *page_routes(),
    ]
    middleware = [
        # Outermost: every answer carries the headers and a request id, a refused body's 413 too.
        Middleware(ObservedRequests),
        Middleware(SecurityHeaders),
        Middleware(
            BodyLimit, max_bytes=settings.max_request_bytes, larger=people_import.BODY_LIMITS
        ),
        # With a read replica: a write's answer carries the primary's position for its author.
        Middleware(MarkWrites),
    ]
    return Starlette(routes=routes, lifespan=lifespan, middleware=middleware)


def _engine_of(request: Request) -> AsyncEngine:
    return request.app.state.runtime.engine  # type: ignore[no-any-return]

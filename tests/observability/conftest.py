"""A hub whose /metrics is open to a token, next to the suite's own hub (which has none)."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette

from hub.app import create_app
from hub.infrastructure.config import Settings
from hub.interfaces.runtime import Runtime
from tests.graphql_client import GraphQLClient

METRICS_TOKEN = "metrics-test-token-0123456789"
# Tight enough for a test to spend, loose enough for every other test's few queries.
ANONYMOUS_POINTS = 200


@pytest.fixture(scope="module")
async def metrics_app(settings: Settings) -> AsyncIterator[Starlette]:
    configured = dataclasses.replace(
        settings, metrics_token=METRICS_TOKEN, budget_anonymous_points=ANONYMOUS_POINTS
    )
    application = create_app(configured)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def metrics_http(metrics_app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=metrics_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as client:
        yield client


@pytest.fixture
def metrics_runtime(metrics_app: Starlette) -> Runtime:
    return metrics_app.state.runtime  # type: ignore[no-any-return]


@pytest.fixture
def metrics_gql(metrics_http: httpx.AsyncClient, metrics_runtime: Runtime) -> GraphQLClient:
    return GraphQLClient(metrics_http, metrics_runtime)

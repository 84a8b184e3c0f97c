"""`GET /metrics`: this process's metrics and the outbox's state, in Prometheus's text format,
to whoever holds HUB_METRICS_TOKEN. Without the setting there is no such page (404): metrics
tell how busy an alliance is and when, which is nobody else's business."""

from __future__ import annotations

import hmac
import logging
from collections.abc import Callable, Iterator

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.types import Receive, Scope, Send

from hub.infrastructure.observability.collectors import OutboxCollector, outbox_groups
from hub.infrastructure.observability.metrics import REGISTRY

log = logging.getLogger(__name__)


class MetricsEndpoint:
    """An ASGI endpoint that reads the database at each scrape through `engine_of(request)`."""

    def __init__(self, token: str | None, engine_of: Callable[[Request], AsyncEngine]) -> None:
        self.token = token
        self.engine_of = engine_of

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = await self.answer(Request(scope, receive))
        await response(scope, receive, send)

    async def answer(self, request: Request) -> Response:
        if self.token is None:
            return PlainTextResponse("Not Found", status_code=404)
        if not _bears(request, self.token):
            return PlainTextResponse(
                "A bearer token (HUB_METRICS_TOKEN) is needed.",
                status_code=401,
                headers={"WWW-Authenticate": 'Bearer realm="metrics"'},
            )
        scrape = Scrape(await _database_collectors(self.engine_of(request)))
        return Response(generate_latest(scrape), media_type=CONTENT_TYPE_LATEST)


def _bears(request: Request, token: str) -> bool:
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    given_bytes, token_bytes = given.strip().encode(), token.encode()
    return scheme.lower() == "bearer" and hmac.compare_digest(given_bytes, token_bytes)


async def _database_collectors(engine: AsyncEngine) -> list[Collector]:
    """The outbox's gauges, and whether the database answered: a scrape still succeeds when it
    does not, so that the process's own metrics (and this gauge at 0) still reach Prometheus."""
    up = GaugeMetricFamily(
        "hub_database_up", "Whether the database answered this scrape's outbox reading."
    )
    try:
        groups = await outbox_groups(engine)
    except (SQLAlchemyError, OSError):
        log.warning("metrics: the database did not answer the outbox reading", exc_info=True)
        up.add_metric([], 0)
        return [_Families([up])]
    up.add_metric([], 1)
    return [_Families([up]), OutboxCollector(groups)]


class _Families(Collector):
    def __init__(self, families: list[Metric]) -> None:
        self.families = families

    def collect(self) -> Iterator[Metric]:
        yield from self.families


class Scrape(Collector):
    """The process's registry followed by what this scrape read from the database."""

    def __init__(self, database: list[Collector]) -> None:
        self.database = database

    def collect(self) -> Iterator[Metric]:
        yield from REGISTRY.collect()
        for collector in self.database:
            yield from collector.collect()

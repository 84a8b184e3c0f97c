"""`hub worker` seen from Prometheus: its event loop's lag, and its own /metrics (deliveries
are counted in the process that makes them) on HUB_WORKER_METRICS_PORT, to HUB_METRICS_TOKEN."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Iterator

import uvicorn
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.routing import Route

from hub.infrastructure.config import Settings
from hub.infrastructure.observability.endpoint import MetricsEndpoint
from hub.infrastructure.observability.metrics import WORKER_LOOP_LAG
from hub.infrastructure.observability.pool import observe_pool

# A sleep this long is asked for again and again; how much later it ends is the lag: time the
# loop spent running something else (a blocking call, a long synchronous stretch).
LAG_PROBE_SECONDS = 0.5


async def watch_loop_lag() -> None:
    while True:
        asked = time.perf_counter()
        await asyncio.sleep(LAG_PROBE_SECONDS)
        WORKER_LOOP_LAG.observe(max(0.0, time.perf_counter() - asked - LAG_PROBE_SECONDS))


class _MetricsServer(uvicorn.Server):
    """uvicorn inside the worker's loop: the worker's signals stay the worker's own."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@contextlib.asynccontextmanager
async def observed_worker(settings: Settings, engine: AsyncEngine) -> AsyncIterator[None]:
    """While the worker runs: its loop's lag measured, its pool observed, and its metrics
    served when HUB_WORKER_METRICS_PORT and HUB_METRICS_TOKEN are both set."""
    observe_pool(engine, "primary")
    lag = asyncio.create_task(watch_loop_lag())
    server = _metrics_server(settings, engine)
    serving = asyncio.create_task(server.serve()) if server else None
    try:
        yield
    finally:
        lag.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await lag
        if server and serving:
            server.should_exit = True
            await serving


def _metrics_server(settings: Settings, engine: AsyncEngine) -> _MetricsServer | None:
    if settings.worker_metrics_port is None or settings.metrics_token is None:
        return None
    endpoint = MetricsEndpoint(settings.metrics_token, lambda _request: engine)
    app = Starlette(routes=[Route("/metrics", endpoint, methods=["GET"])])
    config = uvicorn.Config(
        app,
        host=settings.worker_metrics_host,
        port=settings.worker_metrics_port,
        lifespan="off",
        access_log=False,
        log_config=None,
    )
    return _MetricsServer(config)

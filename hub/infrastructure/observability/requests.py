"""Every HTTP request: an id (the caller's X-Request-ID when it is a plain token, else a new
one) in the response's X-Request-ID header, in its Server-Timing when it has one, and in every
log line written while it runs; then its count and latency by route, and one log line.

The log line names the route's template, never the path: paths and query strings carry
calendar-feed and sign-in tokens."""

from __future__ import annotations

import logging
import time

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hub.infrastructure.observability.logging import current_request_id, request_id_from
from hub.infrastructure.observability.metrics import HTTP_LATENCY, HTTP_REQUESTS

log = logging.getLogger("hub.requests")
UNMATCHED = "unmatched"


class ObservedRequests:
    """ASGI middleware; outermost, so that refused and failed requests are seen too."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_from(Headers(scope=scope).get("x-request-id"))
        bound = current_request_id.set(request_id)
        started = time.perf_counter()
        status = 500  # unless the app answers: an exception reaches Starlette's error handler

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                _add_request_id(MutableHeaders(scope=message), request_id)
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            _observed(scope, status, time.perf_counter() - started)
            current_request_id.reset(bound)


def _add_request_id(headers: MutableHeaders, request_id: str) -> None:
    headers["X-Request-ID"] = request_id
    timing = headers.get("server-timing")
    if timing:
        headers["Server-Timing"] = f'{timing}, request;desc="{request_id}"'


def _observed(scope: Scope, status: int, seconds: float) -> None:
    route = getattr(scope.get("route"), "path", UNMATCHED)
    method = scope["method"]
    HTTP_REQUESTS.labels(route=route, method=method, status=str(status)).inc()
    HTTP_LATENCY.labels(route=route, method=method).observe(seconds)
    log.info(
        "%s %s %d %.1fms",
        method,
        route,
        status,
        seconds * 1000,
        extra={"method": method, "route": route, "status": status, "duration_ms": seconds * 1000},
    )

"""A webhook receiver for tests: a real HTTP server on 127.0.0.1 (a free port, in a thread)
that records every delivery and can be told to fail the next N; and a hub app whose settings
allow delivering to it (HUB_WEBHOOKS_ALLOW_PRIVATE)."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from starlette.applications import Starlette

from hub.app import create_app
from hub.infrastructure.config import Settings
from tests.graphql_client import GraphQLClient


@dataclass(frozen=True)
class Delivery:
    headers: dict[str, str]
    body: bytes
    status: int


class WebhookReceiver:
    def __init__(self) -> None:
        self.deliveries: list[Delivery] = []
        self.failures_left = 0
        # Decides the answer to a delivery that is not made to fail: 204, or 400 if refused.
        self.accept: Callable[[bytes, dict[str, str]], bool] = lambda body, headers: True
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/hooks"

    def fail_next(self, count: int) -> None:
        self.failures_left = count

    def _answer(self, body: bytes, headers: dict[str, str]) -> int:
        if self.failures_left > 0:
            self.failures_left -= 1
            return 500
        return 204 if self.accept(body, headers) else 400

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                headers = {k.lower(): v for k, v in self.headers.items()}
                status = receiver._answer(body, headers)
                receiver.deliveries.append(Delivery(headers, body, status))
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        return Handler

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    started = WebhookReceiver()
    started.start()
    yield started
    started.stop()


@pytest.fixture(scope="session")
def private_settings(settings: Settings) -> Settings:
    return dataclasses.replace(settings, webhooks_allow_private=True)


@pytest.fixture(scope="session")
async def private_app(private_settings: Settings) -> AsyncIterator[Starlette]:
    application = create_app(private_settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def private_gql(private_app: Starlette) -> AsyncIterator[GraphQLClient]:
    """The GraphQL API of a hub that may deliver to 127.0.0.1 (same database)."""
    transport = httpx.ASGITransport(app=private_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as client:
        yield GraphQLClient(client, private_app.state.runtime)

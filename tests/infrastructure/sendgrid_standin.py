"""A local stand-in for SendGrid's v3 API: a real HTTP server on 127.0.0.1 (a free port, in a
thread) that records every POST /v3/mail/send, answers 202 with an X-Message-Id, and can be
told to fail the next N requests, or to take its time as a slow provider does (`delay`, in
seconds: a request is recorded, so counted as accepted, as soon as it arrives)."""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

SEND_PATH = "/v3/mail/send"


@dataclass(frozen=True)
class RecordedRequest:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    status: int
    message_id: str | None

    @property
    def outbox_id(self) -> str | None:
        return self.body.get("custom_args", {}).get("outbox_id")

    @property
    def to(self) -> str:
        return str(self.body["personalizations"][0]["to"][0]["email"])

    @property
    def subject(self) -> str:
        return str(self.body.get("subject") or self.body["personalizations"][0].get("subject"))


class SendGridStandIn:
    def __init__(self, delay: float = 0.0) -> None:
        self.requests: list[RecordedRequest] = []
        self.delay = delay
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._failures: list[int] = []
        self._ids = itertools.count(1)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def delivered(self) -> list[RecordedRequest]:
        """The requests SendGrid would have accepted (answered 202)."""
        return [r for r in self.requests if r.status == 202]

    def fail_next(self, count: int, status: int = 503) -> None:
        with self._lock:
            self._failures.extend([status] * count)

    def start(self) -> SendGridStandIn:
        self._thread.start()
        return self

    def _serve(self) -> None:
        # A short poll makes shutdown quick.
        self._server.serve_forever(poll_interval=0.02)

    def stop(self) -> None:
        self._stopping.set()  # requests still waiting out the delay are answered now
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _answer(self, path: str, headers: dict[str, str], raw: bytes) -> tuple[int, str | None]:
        with self._lock:
            status = self._failures.pop(0) if self._failures else 202
            message_id = f"standin-{next(self._ids)}" if status == 202 else None
            body = json.loads(raw) if raw else {}
            self.requests.append(RecordedRequest(path, headers, body, status, message_id))
        return status, message_id

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.path != SEND_PATH:
                    self.send_error(404)
                    return
                status, message_id = standin._answer(self.path, dict(self.headers), raw)
                standin._stopping.wait(standin.delay)
                # A killed client is gone by now: what it was told no longer matters.
                with contextlib.suppress(ConnectionError):
                    self._reply(status, message_id)

            def _reply(self, status: int, message_id: str | None) -> None:
                self.send_response(status)
                if message_id:
                    self.send_header("X-Message-Id", message_id)
                payload = b"" if status == 202 else b'{"errors":[{"message":"stand-in failure"}]}'
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:
                return None

        return Handler


@pytest.fixture
def sendgrid_standin() -> Iterator[SendGridStandIn]:
    standin = SendGridStandIn().start()
    yield standin
    standin.stop()

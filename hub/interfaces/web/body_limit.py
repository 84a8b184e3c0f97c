"""Request bodies are limited: a body declared larger than the limit is refused before any of
it is read, and a streamed one (no Content-Length) is counted as it arrives and refused once
it passes the limit. Without this, a few anonymous 100 MB posts held hundreds of megabytes."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyTooLarge(Exception):
    """Raised from `receive` once a body passes the limit; answered 413 by BodyLimit."""


class BodyLimit:
    """`max_bytes` for every route but those `larger` names (by path) with a larger limit."""

    def __init__(self, app: ASGIApp, max_bytes: int, larger: Mapping[str, int] = {}) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.larger = dict(larger)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = max(self.max_bytes, self.larger.get(scope["path"], 0))
        if _declared_length(scope) > limit:
            await self._too_large(scope, receive, send, limit)
            return
        started = False

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, self._counted(receive, limit), watched_send)
        except BodyTooLarge:
            if started:
                raise
            await self._too_large(scope, receive, send, limit)

    def _counted(self, receive: Receive, limit: int) -> Receive:
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge()
            return message

        return counted

    async def _too_large(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        message = f"The request body is larger than {limit} bytes."
        error = {"message": message, "extensions": {"code": "PAYLOAD_TOO_LARGE"}}
        # The connection is closed after the answer: the rest of the body is never read.
        headers = {"Connection": "close"}
        response = JSONResponse({"errors": [error]}, status_code=413, headers=headers)
        await response(scope, receive, send)


def _declared_length(scope: Scope) -> int:
    declared = Headers(scope=scope).get("content-length", "")
    return int(declared) if declared.isascii() and declared.isdigit() else 0

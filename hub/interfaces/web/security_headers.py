"""Security headers on every response: what a browser may load and run for a page, that no
other site may frame it, that no type is guessed, and that no address leaves with a referrer.

The pages run one script file (/static/hub.js) and one stylesheet, both from the hub itself,
and no inline script or style: their policy allows the hub's own files and nothing else, so
markup an attacker slipped into a page could run nothing. GraphiQL's page (GET /graphql in
a browser) carries its own inline scripts; they are allowed by their hashes, taken from the
page itself, which is the same for every request (it shows no request's data). Its editor
styles itself inline, which its policy allows. Everything else (JSON, CSV, calendars) is no
document to run anything in: `default-src 'none'`."""

from __future__ import annotations

import base64
import hashlib
import re

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

FRAMING_AND_BASE = "frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    f"connect-src 'self'; form-action 'self'; {FRAMING_AND_BASE}"
)
GRAPHIQL_POLICY = (
    "default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
    f"form-action 'self'; {FRAMING_AND_BASE}"
)
NOTHING_POLICY = f"default-src 'none'; {FRAMING_AND_BASE}"
ALWAYS = {
    "X-Content-Type-Options": "nosniff",
    # Links in pages and emails may carry tokens (a sign-in link's): none leaves the hub.
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
}
GRAPHIQL_PATH = "/graphql"
INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.DOTALL)


class SecurityHeaders:
    """ASGI middleware: sets the headers on every HTTP response that does not set its own."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["path"] == GRAPHIQL_PATH and scope["method"] == "GET":
            await self.app(scope, receive, _GraphiQLHashes(send))
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                _add(headers, _policy_for(headers))
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _policy_for(headers: MutableHeaders) -> str:
    is_html = headers.get("content-type", "").startswith("text/html")
    return PAGE_POLICY if is_html else NOTHING_POLICY


def _add(headers: MutableHeaders, policy: str) -> None:
    headers.setdefault("Content-Security-Policy", policy)
    for name, value in ALWAYS.items():
        headers.setdefault(name, value)


class _GraphiQLHashes:
    """Holds back GraphiQL's page until its body is whole, to allow its inline scripts by
    hash; any other answer at that path goes through as it comes."""

    def __init__(self, send: Send) -> None:
        self.send = send
        self.start: Message | None = None
        self.body = bytearray()

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = MutableHeaders(scope=message)
            if headers.get("content-type", "").startswith("text/html"):
                self.start = message
                return
            _add(headers, NOTHING_POLICY)
        elif self.start is not None and message["type"] == "http.response.body":
            self.body += message.get("body", b"")
            if message.get("more_body", False):
                return
            _add(MutableHeaders(scope=self.start), graphiql_policy(bytes(self.body)))
            await self.send(self.start)
            message = {"type": "http.response.body", "body": bytes(self.body)}
        await self.send(message)


def graphiql_policy(page: bytes) -> str:
    return GRAPHIQL_POLICY.format(hashes=" ".join(_script_hashes(page)))


def _script_hashes(page: bytes) -> list[str]:
    return [
        f"'sha256-{base64.b64encode(hashlib.sha256(script).digest()).decode()}'"
        for script in INLINE_SCRIPT.findall(page)
    ]

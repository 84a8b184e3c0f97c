"""`POST /webhooks/sendgrid`: SendGrid's signed Event Webhook. Unsigned, badly signed and stale
posts are refused and change nothing; bounces and unsubscribes become suppressions."""

from __future__ import annotations

import binascii
import json
import time
from typing import Any

from sendgrid.helpers.eventwebhook import EventWebhook, EventWebhookHeader
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from hub.delivery.email.suppressions import record_events
from hub.infrastructure.db import transaction
from hub.interfaces.runtime import Runtime

# The library checks the signature, not its age: a replayed old post is refused here.
MAX_AGE_SECONDS = 300


def _refused(status: int, message: str) -> Response:
    return JSONResponse({"error": message}, status_code=status)


async def sendgrid_events(request: Request) -> Response:
    runtime: Runtime = request.app.state.runtime
    public_key = runtime.settings.sendgrid_webhook_public_key
    if not public_key:
        return _refused(403, "The SendGrid webhook is not configured on this hub.")
    signature = request.headers.get(EventWebhookHeader.SIGNATURE)
    timestamp = request.headers.get(EventWebhookHeader.TIMESTAMP)
    if not signature or not timestamp:
        return _refused(401, "The post is not signed.")
    raw = await request.body()
    if not _fresh(timestamp):
        return _refused(403, "The signature's timestamp is too old.")
    if not _verified(public_key, raw, signature, timestamp):
        return _refused(403, "The signature does not match.")
    events = _events(raw)
    if events is None:
        return _refused(400, "The body must be a JSON list of events.")
    async with transaction(runtime.sessions) as session:
        recorded = await record_events(session, events)
    return JSONResponse({"received": len(events), "suppressed": recorded})


def _fresh(timestamp: str) -> bool:
    try:
        sent_at = int(timestamp)
    except ValueError:
        return False
    return abs(time.time() - sent_at) <= MAX_AGE_SECONDS


def _verified(public_key: str, raw: bytes, signature: str, timestamp: str) -> bool:
    try:
        payload = raw.decode("utf-8")
        return bool(EventWebhook(public_key).verify_signature(payload, signature, timestamp))
    except (UnicodeDecodeError, binascii.Error, ValueError):
        return False


def _events(raw: bytes) -> list[dict[str, Any]] | None:
    try:
        events = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(events, list) or not all(isinstance(e, dict) for e in events):
        return None
    return events

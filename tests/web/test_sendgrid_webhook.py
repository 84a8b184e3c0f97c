"""SendGrid's Event Webhook: only signed, fresh posts count; bounces and unsubscribes stop
the hub mailing an address."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import AsyncIterator
from dataclasses import replace

import httpx
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sendgrid.helpers.eventwebhook import EventWebhookHeader
from sqlalchemy import select

from hub.app import create_app
from hub.delivery.email.enqueue import enqueue_email
from hub.infrastructure.models import EmailSuppression
from hub.infrastructure.models.outbox import OutboxStatus
from tests.factories import create_person
from tests.infrastructure import outbox as outbox_fixtures
from tests.infrastructure import sendgrid_standin as standin_fixtures
from tests.infrastructure.outbox import outbox_rows

clock = outbox_fixtures.clock
worker = outbox_fixtures.worker
sendgrid_standin = standin_fixtures.sendgrid_standin

SENDGRID_KEY = ec.generate_private_key(ec.SECP256R1())
FORGER_KEY = ec.generate_private_key(ec.SECP256R1())
EVENTS = [
    {"email": "Bounced@Example.org", "event": "bounce", "type": "bounce", "reason": "550"},
    {"email": "left@example.org", "event": "unsubscribe"},
    {"email": "spam@example.org", "event": "spamreport"},
    {"email": "blocked@example.org", "event": "bounce", "type": "blocked"},
    {"email": "fine@example.org", "event": "delivered"},
]


def public_key_text(key: ec.EllipticCurvePrivateKey) -> str:
    der = key.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(der).decode()


def signed_headers(
    body: bytes, key: ec.EllipticCurvePrivateKey = SENDGRID_KEY, timestamp: int | None = None
) -> dict[str, str]:
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = key.sign(stamp.encode() + body, ec.ECDSA(hashes.SHA256()))
    return {
        EventWebhookHeader.SIGNATURE: base64.b64encode(signature).decode(),
        EventWebhookHeader.TIMESTAMP: stamp,
        "Content-Type": "application/json",
    }


@pytest.fixture
async def webhook(settings) -> AsyncIterator[httpx.AsyncClient]:
    """The app, configured with SendGrid's verification key."""
    app = create_app(replace(settings, sendgrid_webhook_public_key=public_key_text(SENDGRID_KEY)))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as client:
            yield client


async def suppressions(runtime) -> list[tuple[str, str]]:
    async with runtime.sessions() as session:
        rows = await session.execute(
            select(EmailSuppression.email, EmailSuppression.reason).order_by(EmailSuppression.email)
        )
        return [tuple(row) for row in rows.all()]


BODY = json.dumps(EVENTS).encode()


async def test_a_signed_post_records_bounces_and_unsubscribes(webhook, runtime):
    response = await webhook.post("/webhooks/sendgrid", content=BODY, headers=signed_headers(BODY))

    assert response.status_code == 200
    assert response.json() == {"received": 5, "suppressed": 3}
    assert await suppressions(runtime) == [
        ("bounced@example.org", "bounce"),
        ("left@example.org", "unsubscribe"),
        ("spam@example.org", "spamreport"),
    ]


async def test_the_same_events_twice_change_nothing_more(webhook, runtime):
    await webhook.post("/webhooks/sendgrid", content=BODY, headers=signed_headers(BODY))

    again = await webhook.post("/webhooks/sendgrid", content=BODY, headers=signed_headers(BODY))

    assert again.json() == {"received": 5, "suppressed": 0}
    assert len(await suppressions(runtime)) == 3


async def test_a_forged_post_is_rejected_and_changes_nothing(webhook, runtime):
    response = await webhook.post(
        "/webhooks/sendgrid", content=BODY, headers=signed_headers(BODY, key=FORGER_KEY)
    )

    assert response.status_code == 403
    assert response.json() == {"error": "The signature does not match."}
    assert await suppressions(runtime) == []


async def test_a_tampered_body_is_rejected(webhook, runtime):
    headers = signed_headers(BODY)
    tampered = BODY.replace(b"left@example.org", b"someone@example.org")

    response = await webhook.post("/webhooks/sendgrid", content=tampered, headers=headers)

    assert response.status_code == 403
    assert await suppressions(runtime) == []


async def test_an_unsigned_post_is_rejected(webhook, runtime):
    response = await webhook.post("/webhooks/sendgrid", content=BODY)

    assert response.status_code == 401
    assert response.json() == {"error": "The post is not signed."}
    assert await suppressions(runtime) == []


async def test_a_stale_post_is_rejected_even_when_well_signed(webhook, runtime):
    old = int(time.time()) - 600

    response = await webhook.post(
        "/webhooks/sendgrid", content=BODY, headers=signed_headers(BODY, timestamp=old)
    )

    assert response.status_code == 403
    assert response.json() == {"error": "The signature's timestamp is too old."}
    assert await suppressions(runtime) == []


async def test_a_signature_that_is_not_base64_is_rejected(webhook, runtime):
    headers = signed_headers(BODY) | {EventWebhookHeader.SIGNATURE: "%%%not-base64"}

    response = await webhook.post("/webhooks/sendgrid", content=BODY, headers=headers)

    assert response.status_code == 403
    assert await suppressions(runtime) == []


async def test_without_a_configured_key_every_post_is_refused(http, runtime):
    response = await http.post("/webhooks/sendgrid", content=BODY, headers=signed_headers(BODY))

    assert response.status_code == 403
    assert await suppressions(runtime) == []


async def test_a_signed_body_that_is_not_a_list_is_a_bad_request(webhook, runtime):
    body = b'{"event": "bounce"}'

    response = await webhook.post("/webhooks/sendgrid", content=body, headers=signed_headers(body))

    assert response.status_code == 400
    assert await suppressions(runtime) == []


async def test_the_worker_stops_mailing_a_bounced_address(
    webhook, session, runtime, worker, sendgrid_standin
):
    # Given SendGrid reported a bounce for Ana, and a message for her waits in the outbox
    body = json.dumps([{"email": "ana@example.org", "event": "bounce", "type": "bounce"}]).encode()
    await webhook.post("/webhooks/sendgrid", content=body, headers=signed_headers(body))
    ana = await create_person(session, email="ana@example.org")
    await enqueue_email(session, ana, kind="voting_opened", dedupe_key="k", payload={})
    await session.commit()

    # When the worker runs
    await worker.drain()

    # Then nothing went to SendGrid, and the message says why
    assert sendgrid_standin.requests == []
    (row,) = await outbox_rows(runtime)
    assert (row.status, row.last_error) == (
        OutboxStatus.SUPPRESSED,
        "Not sent: the address is suppressed (bounce).",
    )

"""The real sendgrid client, pointed at the local stand-in."""

from __future__ import annotations

import base64
import io

import pytest

from hub.delivery.email.message import Attachment, EmailMessage
from hub.delivery.email.senders import ConsoleSender, SendGridSender
from hub.delivery.outbox.delivery import DeliveryError
from tests.infrastructure.outbox import TEST_API_KEY

INVITE = b"BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"
MESSAGE = EmailMessage(
    to="ana@example.org",
    to_name="Ana Pérez",
    sender="hub@example.org",
    subject="You're going",
    text="Hi Ana",
    html="<p>Hi Ana</p>",
    attachments=(
        Attachment("invite.ics", 'text/calendar; method=REQUEST; charset="UTF-8"', INVITE),
    ),
    tracking={"outbox_id": "17"},
)


async def test_sends_both_parts_the_invite_and_the_outbox_id(sendgrid_standin):
    sender = SendGridSender(TEST_API_KEY, sendgrid_standin.url)

    provider_id = await sender.send(MESSAGE)

    (request,) = sendgrid_standin.requests
    assert provider_id == request.message_id == "standin-1"
    assert request.headers["Authorization"] == f"Bearer {TEST_API_KEY}"
    body = request.body
    assert body["from"] == {"email": "hub@example.org"}
    assert body["personalizations"][0]["to"] == [{"email": "ana@example.org", "name": "Ana Pérez"}]
    assert body["subject"] == "You're going"
    assert body["content"] == [
        {"type": "text/plain", "value": "Hi Ana"},
        {"type": "text/html", "value": "<p>Hi Ana</p>"},
    ]
    (attachment,) = body["attachments"]
    assert attachment["type"] == 'text/calendar; method=REQUEST; charset="UTF-8"'
    assert attachment["filename"] == "invite.ics"
    assert base64.b64decode(attachment["content"]) == INVITE
    assert body["custom_args"] == {"outbox_id": "17"}


async def test_a_server_error_is_worth_retrying(sendgrid_standin):
    sendgrid_standin.fail_next(1, status=503)

    with pytest.raises(DeliveryError) as raised:
        await SendGridSender(TEST_API_KEY, sendgrid_standin.url).send(MESSAGE)

    assert raised.value.retryable is True
    assert str(raised.value) == "SendGrid answered 503"


async def test_a_refused_request_is_not(sendgrid_standin):
    sendgrid_standin.fail_next(1, status=400)

    with pytest.raises(DeliveryError) as raised:
        await SendGridSender(TEST_API_KEY, sendgrid_standin.url).send(MESSAGE)

    assert raised.value.retryable is False


async def test_an_unreachable_host_is_worth_retrying(sendgrid_standin):
    url = sendgrid_standin.url
    sendgrid_standin.stop()

    with pytest.raises(DeliveryError) as raised:
        await SendGridSender(TEST_API_KEY, url).send(MESSAGE)

    assert raised.value.retryable is True


async def test_the_console_sender_prints_the_message():
    stream = io.StringIO()

    provider_id = await ConsoleSender(stream).send(MESSAGE)

    assert provider_id == "console-17"
    printed = stream.getvalue()
    assert "--- email to Ana Pérez <ana@example.org>" in printed
    assert "Subject: You're going" in printed
    assert "Attachments: invite.ics" in printed
    assert "Hi Ana" in printed

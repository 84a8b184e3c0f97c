"""Senders: a small interface, a console sender for a newcomer, and SendGrid."""

from __future__ import annotations

import asyncio
import base64
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol, TextIO
from urllib.error import URLError

from python_http_client.exceptions import HTTPError
from sendgrid import SendGridAPIClient
from sendgrid.helpers import mail as sg

from hub.delivery.email.message import EmailMessage
from hub.delivery.outbox.delivery import DeliveryError
from hub.infrastructure.config import Settings

SENDGRID_TIMEOUT_SECONDS = 30
# The client is synchronous: each send in flight holds a thread. Its own pool, so a worker's
# concurrent sends are not capped by the event loop's default one (6 threads on 2 cores).
MAX_SENDS_IN_FLIGHT = 32
# Answers worth trying again: the request may succeed later unchanged.
RETRYABLE_STATUSES = frozenset({408, 425, 429})


class Sender(Protocol):
    async def send(self, message: EmailMessage) -> str:
        """Delivers the message; returns the provider's id for it. Raises DeliveryError."""
        ...


class ConsoleSender:
    """Prints each message instead of sending it: the default, so a newcomer sees mail."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout

    async def send(self, message: EmailMessage) -> str:
        attachments = ", ".join(a.filename for a in message.attachments) or "none"
        headers = "".join(f"{name}: {value}\n" for name, value in message.headers.items())
        print(
            f"--- email to {message.to_name} <{message.to}>\n"
            f"From: {message.sender}\nSubject: {message.subject}\n{headers}"
            f"Attachments: {attachments}\n\n{message.text}\n---",
            file=self.stream,
            flush=True,
        )
        return f"console-{message.tracking.get('outbox_id', '')}"


class SendGridSender:
    """The official sendgrid client, pointed at HUB_SENDGRID_HOST."""

    def __init__(self, api_key: str, host: str) -> None:
        self.client = SendGridAPIClient(api_key, host=host)
        self.client.client.timeout = SENDGRID_TIMEOUT_SECONDS
        self._threads = ThreadPoolExecutor(MAX_SENDS_IN_FLIGHT, thread_name_prefix="sendgrid")

    async def send(self, message: EmailMessage) -> str:
        # The client is synchronous (urllib): keep the event loop free while it waits.
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._threads, self._send, message)

    def _send(self, message: EmailMessage) -> str:
        try:
            response = self.client.send(sendgrid_mail(message))
        except HTTPError as error:
            status = int(error.status_code)
            retryable = status >= 500 or status in RETRYABLE_STATUSES
            raise DeliveryError(f"SendGrid answered {status}", retryable=retryable) from error
        except (URLError, OSError) as error:
            raise DeliveryError(f"SendGrid unreachable: {error}", retryable=True) from error
        return str(response.headers.get("X-Message-Id") or "")


def sendgrid_mail(message: EmailMessage) -> sg.Mail:
    mail = sg.Mail(
        from_email=sg.From(message.sender),
        to_emails=sg.To(message.to, message.to_name),
        subject=message.subject,
        plain_text_content=message.text,
        html_content=message.html,
    )
    for attachment in message.attachments:
        mail.add_attachment(
            sg.Attachment(
                sg.FileContent(base64.b64encode(attachment.content).decode("ascii")),
                sg.FileName(attachment.filename),
                sg.FileType(attachment.content_type),
                sg.Disposition("attachment"),
            )
        )
    for key, value in message.tracking.items():
        mail.add_custom_arg(sg.CustomArg(key, value))
    for name, value in message.headers.items():
        mail.add_header(sg.Header(name, value))
    if message.transactional:
        # SendGrid would otherwise drop it for an address on its unsubscribe list; bounces
        # and spam reports still stop it (the hub's suppressions do, before it gets here).
        mail.mail_settings = sg.MailSettings(
            bypass_unsubscribe_management=sg.BypassUnsubscribeManagement(True)
        )
    return mail


def sender_for(settings: Settings) -> Sender:
    if settings.email_backend == "console":
        return ConsoleSender()
    if not settings.sendgrid_api_key:
        raise ValueError("HUB_EMAIL_BACKEND=sendgrid needs SENDGRID_API_KEY")
    return SendGridSender(settings.sendgrid_api_key, settings.sendgrid_host)

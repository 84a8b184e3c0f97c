"""Running the real outbox worker in tests: the real sendgrid client against the stand-in,
and reading the outbox from a fresh session (so no test transaction holds SQLite's lock)."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from sqlalchemy import select

from hub.delivery.email.senders import SendGridSender
from hub.delivery.outbox.policy import RetryPolicy
from hub.delivery.outbox.worker import OutboxWorker
from hub.infrastructure.config import Settings
from hub.infrastructure.models import OutboxMessage
from hub.interfaces.runtime import Runtime
from hub.worker import outbox_worker
from tests.infrastructure.clock import Clock
from tests.infrastructure.sendgrid_standin import RecordedRequest, SendGridStandIn

TEST_API_KEY = "SG.test-key"


def sendgrid_worker(
    runtime: Runtime,
    settings: Settings,
    standin: SendGridStandIn,
    clock: Clock,
    policy: RetryPolicy | None = None,
) -> OutboxWorker:
    return outbox_worker(
        sessions=runtime.sessions,
        settings=settings,
        sender=SendGridSender(TEST_API_KEY, standin.url),
        policy=policy or RetryPolicy(),
        clock=clock,
    )


async def outbox_rows(runtime: Runtime, **where: Any) -> list[OutboxMessage]:
    async with runtime.sessions() as session:
        statement = select(OutboxMessage).filter_by(**where).order_by(OutboxMessage.id)
        return list(await session.scalars(statement))


def attachments(request: RecordedRequest) -> list[dict[str, Any]]:
    return list(request.body.get("attachments", []))


def attached_calendar(request: RecordedRequest) -> bytes:
    (attachment,) = attachments(request)
    return base64.b64decode(attachment["content"])


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def worker(
    runtime: Runtime, settings: Settings, sendgrid_standin: SendGridStandIn, clock: Clock
) -> OutboxWorker:
    return sendgrid_worker(runtime, settings, sendgrid_standin, clock)

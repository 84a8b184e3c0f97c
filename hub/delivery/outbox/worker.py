"""The worker: claims due messages one at a time, delivers each outside the claiming
transaction while renewing its lease, and records the outcome. Delivery is at least once: a
message whose worker died after sending but before recording is sent again when its lease
runs out (seconds later), carrying the same outbox id. Only the messages in flight at a crash
can repeat: a worker holds no message it is not sending.

Stopped (`stop()`, on SIGTERM), a worker claims nothing more, finishes and records the
messages it is sending, and hands back one it had claimed but not begun to send: nothing is
lost, and nothing goes out twice."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hub.delivery.outbox.claims import (
    claim_due,
    record_failure,
    record_sent,
    release_claim,
    renew_claim,
)
from hub.delivery.outbox.delivery import Deliverer, DeliveryError, Withholding
from hub.delivery.outbox.policy import RetryPolicy
from hub.infrastructure.config import Settings
from hub.infrastructure.db import transaction
from hub.infrastructure.models import OutboxMessage
from hub.infrastructure.models.base import utcnow
from hub.infrastructure.models.outbox import Channel, OutboxStatus
from hub.infrastructure.observability.hooks import delivery_settled

log = logging.getLogger(__name__)

RELEASED = "RELEASED"


@dataclass
class BatchReport:
    """What one pass did, by outcome: SENT, PENDING (to retry), FAILED, SUPPRESSED, LOST
    (claim lost), RELEASED (handed back unsent by a stopping worker)."""

    outcomes: Counter[str] = field(default_factory=Counter)
    claimed: int = 0

    @property
    def sent(self) -> int:
        return self.outcomes[OutboxStatus.SENT]


@dataclass
class OutboxWorker:
    """Delivers through one Deliverer per channel, after asking the channels' Withholdings
    (hub/worker.py puts email and webhooks in)."""

    sessions: async_sessionmaker[AsyncSession]
    settings: Settings
    deliverers: Mapping[Channel, Deliverer]
    withholdings: Mapping[Channel, Withholding] = field(default_factory=dict)
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    clock: Callable[[], datetime] = utcnow
    stopping: asyncio.Event = field(default_factory=asyncio.Event)

    def stop(self) -> None:
        """Claims nothing more; what is being sent is finished (see the module's docstring)."""
        self.stopping.set()

    async def drain(self, max_messages: int = 100_000) -> BatchReport:
        """Delivers until nothing is due now, `policy.batch_size` messages at once."""
        report = BatchReport()
        async with asyncio.TaskGroup() as lanes:
            for _ in range(self.policy.batch_size):
                lanes.create_task(self._lane(report, max_messages))
        return report

    async def _lane(self, report: BatchReport, max_messages: int) -> None:
        """Claims one due message, delivers it, and again, until none is due."""
        while report.claimed < max_messages and not self.stopping.is_set():
            async with transaction(self.sessions) as session:
                claimed = await claim_due(
                    session, self.policy, now=self.clock(), withholdings=self.withholdings
                )
            if not claimed:
                return
            report.claimed += len(claimed)
            for message in claimed:
                outcome: str = message.status  # SUPPRESSED: settled unsent by the claim
                if outcome == OutboxStatus.SENDING:
                    outcome = await self._deliver_unless_stopping(message)
                    delivery_settled(message.channel, outcome)
                report.outcomes[outcome] += 1

    async def _deliver_unless_stopping(self, message: OutboxMessage) -> str:
        if not self.stopping.is_set():
            return await self._deliver(message)
        async with transaction(self.sessions) as session:
            released = await release_claim(session, message)
        log.info("outbox message %s: handed back unsent, the worker is stopping", message.id)
        return RELEASED if released else "LOST"

    async def _under_lease(self, message: OutboxMessage, sending: Awaitable[str]) -> str:
        """Awaits the send while renewing the message's lease, however long it takes."""
        done = asyncio.Event()
        renewing = asyncio.create_task(self._renew_until(done, message))
        try:
            return await sending
        finally:
            done.set()
            await renewing  # a renewal under way finishes: never cancelled mid-statement

    async def _renew_until(self, done: asyncio.Event, message: OutboxMessage) -> None:
        """Extends the message's lease every `renew_every` seconds until `done`."""
        while not await _set_within(done, self.policy.renew_every):
            async with transaction(self.sessions) as session:
                kept = await renew_claim(session, message, self.policy, now=self.clock())
            if not kept:
                log.warning("outbox message %s: its claim was lost while sending", message.id)
                return

    async def _deliver(self, message: OutboxMessage) -> str:
        subject: str | None = None
        try:
            delivery = self.deliverers[Channel(message.channel)].prepare(message)
            subject = delivery.subject
            provider_id = await self._under_lease(message, delivery.send())
        except DeliveryError as error:
            return await self._failed(message, str(error), error.retryable, subject)
        except Exception as error:
            log.exception("outbox message %s: unexpected error while delivering", message.id)
            return await self._failed(message, f"{type(error).__name__}: {error}", True, subject)
        async with transaction(self.sessions) as session:
            recorded = await record_sent(
                session, message, provider_message_id=provider_id, subject=subject, now=self.clock()
            )
        if not recorded:
            log.warning("outbox message %s was sent after its claim expired", message.id)
            return "LOST"
        log.info("sent %s message %s to %s", message.kind, message.id, message.recipient_address)
        return OutboxStatus.SENT

    async def _failed(
        self, message: OutboxMessage, error: str, retryable: bool, subject: str | None
    ) -> str:
        async with transaction(self.sessions) as session:
            status = await record_failure(
                session,
                message,
                error,
                self.policy,
                retryable=retryable,
                subject=subject,
                now=self.clock(),
            )
        log.warning("outbox message %s: %s (now %s)", message.id, error, status)
        return status


async def _set_within(event: asyncio.Event, seconds: float) -> bool:
    try:
        await asyncio.wait_for(event.wait(), seconds)
    except TimeoutError:
        return False
    return True

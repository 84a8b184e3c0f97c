"""What the metrics read from the database when scraped: the outbox's depth and the age of its
oldest message by status. Every process sees the same rows, so any one's scrape is the truth;
nothing is counted in memory that another process could miss."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from hub.infrastructure.models import OutboxMessage
from hub.infrastructure.models.base import utcnow
from hub.infrastructure.models.outbox import Channel, OutboxStatus

# Settled messages (SENT, SUPPRESSED) accumulate for ever and are nobody's backlog: only the
# statuses an operator acts on are counted, through the (status, next_attempt_at) index.
WATCHED_STATUSES = (OutboxStatus.PENDING, OutboxStatus.SENDING, OutboxStatus.FAILED)


@dataclass(frozen=True)
class OutboxGroup:
    channel: str
    status: str
    messages: int
    oldest_age_seconds: float


async def outbox_groups(engine: AsyncEngine) -> list[OutboxGroup]:
    statement = (
        select(
            OutboxMessage.channel,
            OutboxMessage.status,
            func.count(),
            func.min(OutboxMessage.created_at),
        )
        .where(OutboxMessage.status.in_(WATCHED_STATUSES))
        .group_by(OutboxMessage.channel, OutboxMessage.status)
    )
    async with engine.connect() as connection:
        rows = (await connection.execute(statement)).all()
    now = utcnow()
    return [
        OutboxGroup(str(channel), str(status), count, _age(now, oldest))
        for channel, status, count, oldest in rows
    ]


def _age(now: datetime, then: datetime) -> float:
    if then.tzinfo is None:  # SQLite gives back naive UTC
        then = then.replace(tzinfo=UTC)
    return max(0.0, (now - then).total_seconds())


class OutboxCollector(Collector):
    """One scrape's reading of the outbox, as gauges (every watched status is present, at 0
    when empty, so a graph does not break off)."""

    def __init__(self, groups: list[OutboxGroup]) -> None:
        self.groups = groups

    def collect(self) -> Iterator[Metric]:
        depth = GaugeMetricFamily(
            "hub_outbox_messages",
            "Outbox messages by channel and status (PENDING: waiting, SENDING: claimed, "
            "FAILED: given up), read from the database at scrape time.",
            labels=["channel", "status"],
        )
        age = GaugeMetricFamily(
            "hub_outbox_oldest_message_age_seconds",
            "Age of the oldest outbox message by channel and status, read at scrape time.",
            labels=["channel", "status"],
        )
        found = {(group.channel, group.status): group for group in self.groups}
        for channel in Channel:
            for status in WATCHED_STATUSES:
                group = found.get((str(channel), str(status)))
                labels = [channel.lower(), status.lower()]
                depth.add_metric(labels, group.messages if group else 0)
                age.add_metric(labels, group.oldest_age_seconds if group else 0.0)
        yield depth
        yield age

"""What domain code tells the operator's view: one call where a thing happens, nothing more.
(Prometheus's counters live behind these; the outbox and budgets never see them.)"""

from __future__ import annotations

from hub.infrastructure.observability.metrics import BUDGET_REFUSALS, DELIVERIES


def delivery_settled(channel: str, outcome: str) -> None:
    """An outbox message's turn in the worker ended: SENT, PENDING (to retry), FAILED, LOST or
    RELEASED (handed back unsent by a stopping worker)."""
    DELIVERIES.labels(channel=channel.lower(), outcome=outcome.lower()).inc()


def budget_refused(caller_key: str, reason: str) -> None:
    """A request was refused by its caller's budget; the key's kind (person:, client:,
    address:) labels it, never the key itself."""
    BUDGET_REFUSALS.labels(caller=caller_key.partition(":")[0], reason=reason).inc()

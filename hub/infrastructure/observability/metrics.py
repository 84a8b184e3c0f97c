"""The hub's metrics, in a registry of its own. Each process keeps its own counts (Prometheus
scrapes every process); what lives in the database (the outbox) is read at scrape time instead,
by hub/infrastructure/observability/collectors.py."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.process_collector import ProcessCollector

REGISTRY = CollectorRegistry(auto_describe=True)
ProcessCollector(registry=REGISTRY)

# From a compiled read's few milliseconds to a slow mutation's seconds.
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
WAIT_BUCKETS = (0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 5.0)

HTTP_REQUESTS = Counter(
    "hub_http_requests",
    "HTTP requests answered, by route template, method and status.",
    ["route", "method", "status"],
    registry=REGISTRY,
)
HTTP_LATENCY = Histogram(
    "hub_http_request_duration_seconds",
    "Time from a request's arrival to its answer's last byte, by route template.",
    ["route", "method"],
    buckets=LATENCY_BUCKETS,
    registry=REGISTRY,
)
GRAPHQL_REQUESTS = Counter(
    "hub_graphql_requests",
    "GraphQL requests, by operation name, read path (compiled: one SQL statement; normal: "
    "strawberry) and the database that answered (primary, replica).",
    ["operation", "read_path", "database"],
    registry=REGISTRY,
)
GRAPHQL_LATENCY = Histogram(
    "hub_graphql_request_duration_seconds",
    "Time to answer a GraphQL request, by operation name, read path and database.",
    ["operation", "read_path", "database"],
    buckets=LATENCY_BUCKETS,
    registry=REGISTRY,
)
POOL_CHECKOUTS = Counter(
    "hub_db_pool_checkouts",
    "Connections handed out by this process's pool, by database (primary, replica).",
    ["database"],
    registry=REGISTRY,
)
POOL_WAIT = Histogram(
    "hub_db_pool_wait_seconds",
    "Time a checkout waited for a pooled connection (long when every connection is busy).",
    ["database"],
    buckets=WAIT_BUCKETS,
    registry=REGISTRY,
)
POOL_IN_USE = Gauge(
    "hub_db_pool_connections_in_use",
    "Connections of this process's pool checked out now.",
    ["database"],
    registry=REGISTRY,
)
DELIVERIES = Counter(
    "hub_outbox_deliveries",
    "Outbox delivery attempts settled by this process, by channel and outcome (SENT, PENDING: "
    "failed and to be retried, FAILED: given up, LOST: claim expired while sending, RELEASED: "
    "handed back unsent by a stopping worker).",
    ["channel", "outcome"],
    registry=REGISTRY,
)
BUDGET_REFUSALS = Counter(
    "hub_budget_refusals",
    "GraphQL requests refused by the caller's budget, by kind of caller (person, client, "
    "address) and reason (spent: the window's points are used up; too_costly: more than a "
    "whole window).",
    ["caller", "reason"],
    registry=REGISTRY,
)
WORKER_LOOP_LAG = Histogram(
    "hub_worker_loop_lag_seconds",
    "How much later than asked `hub worker`'s event loop woke from a short probe sleep (a "
    "loop blocked by synchronous work shows here).",
    buckets=WAIT_BUCKETS,
    registry=REGISTRY,
)

"""/metrics, scraped over HTTP and parsed as Prometheus parses it: every metric is there, and
each moves when its event happens."""

from __future__ import annotations

import asyncio
import socket

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Route

from hub.delivery.email.enqueue import enqueue_email
from hub.infrastructure.db import create_engine
from hub.infrastructure.models.outbox import OutboxStatus
from hub.infrastructure.observability.endpoint import MetricsEndpoint
from tests.factories import create_person
from tests.infrastructure.clock import Clock
from tests.infrastructure.outbox import outbox_rows, sendgrid_worker
from tests.infrastructure.sendgrid_standin import sendgrid_standin
from tests.observability.conftest import METRICS_TOKEN
from tests.observability.scrape import families, moved, parsed, scrape, value
from tests.outbox.test_worker import KIND, payload

__all__ = ["sendgrid_standin"]

UPCOMING = """query Upcoming {
  convenings(first: 5, from: "2000-01-01T00:00:00Z") { edges { node { id title } } } }"""
# 100 convenings and 50 RSVPs under each may come back: 5,100 objects, 51 points.
SPENDING = "{ convenings(first: 100) { edges { node { rsvps(first: 50) { totalCount } } } } }"
EXPECTED_FAMILIES = {
    "hub_http_requests",
    "hub_http_request_duration_seconds",
    "hub_graphql_requests",
    "hub_graphql_request_duration_seconds",
    "hub_db_pool_checkouts",
    "hub_db_pool_wait_seconds",
    "hub_db_pool_connections_in_use",
    "hub_outbox_messages",
    "hub_outbox_oldest_message_age_seconds",
    "hub_outbox_deliveries",
    "hub_budget_refusals",
    "hub_worker_loop_lag_seconds",
    "hub_database_up",
    "process_resident_memory_bytes",
}


async def test_without_a_token_setting_there_is_no_metrics_page(http):
    response = await http.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})

    assert response.status_code == 404
    assert "hub_" not in response.text


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer wrong-token", f"Basic {METRICS_TOKEN}", f"Bearer {METRICS_TOKEN}x", "Bearer"],
)
async def test_a_missing_or_wrong_token_is_refused(metrics_http, authorization):
    headers = {"Authorization": authorization} if authorization else {}

    response = await metrics_http.get("/metrics", headers=headers)

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="metrics"'
    assert "hub_" not in response.text


async def test_the_token_opens_every_metric_in_prometheus_text_format(metrics_http):
    response = await metrics_http.get(
        "/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}
    )

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=")
    assert families(response.text) >= EXPECTED_FAMILIES
    assert value(parsed(response.text), "hub_database_up") == 1


async def test_a_query_counts_by_operation_name_and_the_read_path_it_took(
    metrics_http, metrics_gql, dialect
):
    before = await scrape(metrics_http, METRICS_TOKEN)

    response = await metrics_gql.post(UPCOMING)
    named = await metrics_gql.post("{ convenings(first: 1) { edges { node { id } } } }")
    after = await scrape(metrics_http, METRICS_TOKEN)

    assert response.status_code == named.status_code == 200
    assert "errors" not in response.json()
    # Only the compiled path sets Server-Timing; it answers on both databases.
    read_path = "compiled" if "server-timing" in response.headers else "normal"
    assert read_path == "compiled"
    labels = {"operation": "Upcoming", "read_path": read_path, "database": "primary"}
    assert moved(before, after, "hub_graphql_requests_total", **labels) == 1
    assert moved(before, after, "hub_graphql_request_duration_seconds_count", **labels) == 1
    other_path = "normal" if read_path == "compiled" else "compiled"
    elsewhere = {**labels, "read_path": other_path}
    assert moved(before, after, "hub_graphql_requests_total", **elsewhere) == 0
    anonymous = {**labels, "operation": "anonymous"}
    assert moved(before, after, "hub_graphql_requests_total", **anonymous) == 1


async def test_a_mutation_counts_on_the_normal_path(metrics_http, metrics_gql):
    before = await scrape(metrics_http, METRICS_TOKEN)

    response = await metrics_gql.post(
        "mutation Prefs { updateMyPreferences(input: {}) { __typename } }"
    )
    after = await scrape(metrics_http, METRICS_TOKEN)

    assert response.status_code == 200
    labels = {"operation": "Prefs", "read_path": "normal", "database": "primary"}
    assert moved(before, after, "hub_graphql_requests_total", **labels) == 1


async def test_http_requests_count_by_route_template_and_status(metrics_http):
    before = await scrape(metrics_http, METRICS_TOKEN)

    assert (await metrics_http.get("/healthz")).status_code == 200
    assert (await metrics_http.get("/calendar/convenings/999999.ics")).status_code == 404
    assert (await metrics_http.get("/no/such/page")).status_code == 404
    after = await scrape(metrics_http, METRICS_TOKEN)

    def http_moved(route: str, status: str) -> float:
        return moved(
            before, after, "hub_http_requests_total", route=route, method="GET", status=status
        )

    assert http_moved("/healthz", "200") == 1
    assert http_moved("/calendar/convenings/{id}.ics", "404") == 1
    assert http_moved("unmatched", "404") == 1
    assert not any("999999" in dict(labels).get("route", "") for _, labels in after)


async def test_pool_checkouts_and_their_waits_are_counted(metrics_http, metrics_gql):
    before = await scrape(metrics_http, METRICS_TOKEN)

    await metrics_gql.post(UPCOMING)
    after = await scrape(metrics_http, METRICS_TOKEN)

    # The query's connection and the scrape's outbox reading: two at least.
    assert moved(before, after, "hub_db_pool_checkouts_total", database="primary") >= 2
    assert moved(before, after, "hub_db_pool_wait_seconds_count", database="primary") >= 2
    assert value(after, "hub_db_pool_connections_in_use", database="primary") >= 0


async def test_a_budget_spent_and_a_query_too_costly_count_as_refusals(metrics_http, metrics_gql):
    before = await scrape(metrics_http, METRICS_TOKEN)

    too_costly = await metrics_gql.post(
        "{ convenings(first: 500) { edges { node { rsvps(first: 500) { totalCount } } } } }"
    )
    codes = []
    for _ in range(10):  # 51 points each: the fourth does not fit in 200
        answer = (await metrics_gql.post(SPENDING)).json()
        if "errors" in answer:
            codes = [error["extensions"]["code"] for error in answer["errors"]]
            break
    after = await scrape(metrics_http, METRICS_TOKEN)

    assert too_costly.json()["errors"][0]["extensions"]["code"] == "QUERY_TOO_COSTLY"
    assert codes == ["RATE_LIMITED"]
    refused = {"caller": "address"}
    assert moved(before, after, "hub_budget_refusals_total", **refused, reason="too_costly") == 1
    assert moved(before, after, "hub_budget_refusals_total", **refused, reason="spent") == 1


async def test_outbox_depth_and_deliveries_follow_a_message_through_the_worker(
    metrics_http, metrics_runtime, settings, session, sendgrid_standin
):
    worker = sendgrid_worker(metrics_runtime, settings, sendgrid_standin, Clock())
    depth = {"channel": "email", "status": "pending"}
    first, second = await create_person(session), await create_person(session)
    await enqueue_email(session, first, kind=KIND, dedupe_key="metrics:1", payload=payload())
    await session.commit()
    enqueued = await scrape(metrics_http, METRICS_TOKEN)
    await asyncio.sleep(0.05)
    waited = await scrape(metrics_http, METRICS_TOKEN)

    await worker.drain()
    delivered = await scrape(metrics_http, METRICS_TOKEN)
    sendgrid_standin.fail_next(1, status=400)  # refused for good: not retried
    await enqueue_email(session, second, kind=KIND, dedupe_key="metrics:2", payload=payload())
    await session.commit()
    await worker.drain()
    failed = await scrape(metrics_http, METRICS_TOKEN)

    assert value(enqueued, "hub_outbox_messages", **depth) == 1
    age = "hub_outbox_oldest_message_age_seconds"
    assert value(waited, age, **depth) >= value(enqueued, age, **depth) + 0.05
    assert value(delivered, "hub_outbox_messages", **depth) == 0
    sent = {"channel": "email", "outcome": "sent"}
    assert moved(enqueued, delivered, "hub_outbox_deliveries_total", **sent) == 1
    assert moved(delivered, failed, "hub_outbox_deliveries_total", **sent) == 0
    gave_up = {"channel": "email", "outcome": "failed"}
    assert moved(delivered, failed, "hub_outbox_deliveries_total", **gave_up) == 1
    assert value(failed, "hub_outbox_messages", channel="email", status="failed") == 1
    assert [m.status for m in await outbox_rows(metrics_runtime)] == [
        OutboxStatus.SENT,
        OutboxStatus.FAILED,
    ]


async def test_a_database_that_does_not_answer_still_leaves_the_process_metrics(
    caplog, free_port_url
):
    engine = create_engine(free_port_url)
    endpoint = MetricsEndpoint(METRICS_TOKEN, lambda _request: engine)
    app = Starlette(routes=[Route("/metrics", endpoint, methods=["GET"])])
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as client:
            samples = await scrape(client, METRICS_TOKEN)
    finally:
        await engine.dispose()

    assert value(samples, "hub_database_up") == 0
    assert (
        "hub_outbox_messages",
        frozenset({("channel", "email"), ("status", "pending")}),
    ) not in (samples)
    assert value(samples, "process_resident_memory_bytes") > 0
    assert "the database did not answer the outbox reading" in caplog.text


@pytest.fixture
def free_port_url() -> str:
    """A PostgreSQL URL where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"postgresql+asyncpg://postgres@127.0.0.1:{port}/nothing"

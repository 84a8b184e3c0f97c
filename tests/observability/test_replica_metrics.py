"""With a real streaming replica (tests/infrastructure/replica.py), the metrics tell which
database answered: queries counted under `database="replica"`, writes under the primary, and
each database's pool on its own. PostgreSQL only."""

from __future__ import annotations

import os

import httpx
import pytest

from hub.app import create_app
from hub.infrastructure.config import Settings
from tests.conftest import TEST_SECRET
from tests.deployment.test_read_replica import databases, pair
from tests.observability.conftest import METRICS_TOKEN
from tests.observability.scrape import moved, scrape
from tests.observability.test_metrics import UPCOMING

__all__ = ["databases", "pair"]

pytestmark = pytest.mark.skipif(
    not os.environ.get("HUB_TEST_DATABASE_URL", "").startswith("postgresql"),
    reason="PostgreSQL only: streaming replication",
)
MUTATION = "mutation Prefs { updateMyPreferences(input: {}) { __typename } }"


async def test_queries_count_under_the_replica_and_writes_under_the_primary(databases):
    primary, replica = databases
    settings = Settings(
        database_url=primary,
        database_replica_url=replica,
        replica_max_lag_seconds=60,
        secret_key=TEST_SECRET,
        base_url="http://hub.test",
        metrics_token=METRICS_TOKEN,
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as client:
            before = await scrape(client, METRICS_TOKEN)
            read = await client.post("/graphql", json={"query": UPCOMING})
            wrote = await client.post("/graphql", json={"query": MUTATION})
            after = await scrape(client, METRICS_TOKEN)

    assert read.status_code == wrote.status_code == 200
    assert "errors" not in read.json()
    on_replica = {"operation": "Upcoming", "read_path": "compiled", "database": "replica"}
    assert moved(before, after, "hub_graphql_requests_total", **on_replica) == 1
    on_primary = {"operation": "Prefs", "read_path": "normal", "database": "primary"}
    assert moved(before, after, "hub_graphql_requests_total", **on_primary) == 1
    assert moved(before, after, "hub_db_pool_checkouts_total", database="replica") >= 1
    assert moved(before, after, "hub_db_pool_wait_seconds_count", database="replica") >= 1

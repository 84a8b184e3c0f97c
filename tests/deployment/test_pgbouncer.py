"""The hub behind a real PgBouncer in transaction pooling mode (tests/infrastructure/pgbouncer.py)
with HUB_DATABASE_POOLER=transaction: concurrent reads on both paths and writes answer as
directly, on fewer server connections than the hub has clients. PostgreSQL only."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from sqlalchemy import text

from hub.app import create_app
from hub.infrastructure.config import Settings
from hub.infrastructure.models import Person
from tests.conftest import TEST_SECRET
from tests.convenings.factories import create_convening, create_member
from tests.factories import create_personal_token
from tests.graphql.convenings.documents import RSVP, gid, rsvp_input
from tests.infrastructure.pgbouncer import THROUGH_PGBOUNCER, Bouncer, pgbouncer

# Fewer server connections than the hub's pool and clients: statements of different client
# connections, and of one client's consecutive transactions, share server connections.
SERVER_CONNECTIONS = 2
READERS = 40
CONVENINGS = """
query { convenings(first: 10) { edges { node { id title counts { going }
  hosts { name } } } } }
"""


@pytest.fixture(scope="module")
def bouncer(database_url: str) -> Iterator[Bouncer]:
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only")
    with pgbouncer(database_url, pool_size=SERVER_CONNECTIONS) as started:
        yield started


@pytest.fixture
async def pooled_hub(bouncer: Bouncer, database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(
        database_url=bouncer.url_for(database_url),
        database_pooler="transaction",
        secret_key=TEST_SECRET,
        base_url="http://hub.test",
        # Signed person tokens, as the suite's own clients use (tests/conftest.py).
        accept_signed_person_tokens=True,
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as client:
            yield client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def transactions(bouncer: Bouncer, database: str) -> int:
    stats = {row["database"]: row for row in bouncer.show("STATS")}
    return int(stats[database]["total_xact_count"]) if database in stats else 0


async def test_concurrent_reads_and_rsvps_through_pgbouncer(
    bouncer, database_url, pooled_hub, runtime, session
):
    convening = await create_convening(session, capacity=100)
    people = [await create_member(session) for _ in range(5)]
    # Personal access tokens: their facts are read with the viewer's, through the pooler too.
    tokens = {person.id: await create_personal_token(session, person) for person in people}
    await session.commit()
    database = database_url.rsplit("/", 1)[1]
    before = transactions(bouncer, database)

    async def read(person: Person, method: str) -> httpx.Response:
        headers = bearer(tokens[person.id])
        if method == "GET":  # the normal path
            return await pooled_hub.get("/graphql", params={"query": CONVENINGS}, headers=headers)
        return await pooled_hub.post("/graphql", json={"query": CONVENINGS}, headers=headers)

    async def rsvp(person: Person) -> httpx.Response:
        body = {"query": RSVP, "variables": rsvp_input(convening)}
        return await pooled_hub.post("/graphql", json=body, headers=bearer(tokens[person.id]))

    reads = [read(people[i % 5], "GET" if i % 4 == 0 else "POST") for i in range(READERS)]
    answers = await asyncio.gather(*reads, *(rsvp(person) for person in people))

    assert [a.status_code for a in answers] == [200] * (READERS + len(people))
    assert all("errors" not in a.json() for a in answers), [a.text for a in answers]
    for answer in answers[READERS:]:
        assert answer.json()["data"]["rsvp"]["errors"] == []
    final = await read(people[0], "POST")
    (edge,) = final.json()["data"]["convenings"]["edges"]
    assert edge["node"]["id"] == gid("Convening", convening.id)
    assert edge["node"]["counts"] == {"going": 5}
    await asyncio.sleep(1.1)  # PgBouncer's stats_period
    assert transactions(bouncer, database) - before >= READERS + len(people)
    pools = [row for row in bouncer.show("POOLS") if row["database"] == database]
    assert all(int(row["sv_active"]) + int(row["sv_idle"]) <= SERVER_CONNECTIONS for row in pools)


@pytest.mark.skipif(os.environ.get(THROUGH_PGBOUNCER) != "1", reason="a run through PgBouncer")
async def test_the_app_fixtures_go_through_pgbouncer_when_asked(runtime, settings):
    """HUB_TEST_THROUGH_PGBOUNCER=1 (the harness's third pass): the server sees another client
    than the app's socket, a pooler in between, and the hub knows it."""
    async with runtime.engine.connect() as connection:
        server_sees = await connection.scalar(text("SELECT inet_client_port()"))
        raw = await connection.get_raw_connection()
        transport = raw.driver_connection._transport  # type: ignore[union-attr]
        app_port = transport.get_extra_info("sockname")[1]
    assert settings.database_pooler == "transaction"
    assert server_sees != app_port

"""A hub with a real streaming replica (tests/infrastructure/replica.py): reads land on it, a
person reads their own RSVP at once while it lags, a stopped or lagging replica is skipped with
a warning, and writes go to the primary. PostgreSQL only: counted in each server's
pg_stat_statements."""

from __future__ import annotations

import asyncio
import json
import logging
import os
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy import select
from starlette.applications import Starlette

from hub.access.auth.personal_tokens import personal_token_hash, revoke_personal_token
from hub.app import create_app
from hub.infrastructure.config import Settings
from hub.infrastructure.models import Convening, Person, PersonalAccessToken
from hub.infrastructure.models.base import utcnow
from hub.interfaces.runtime import Runtime
from tests.conftest import TEST_SECRET, _create_schema
from tests.convenings.factories import create_contact, create_convening, create_member
from tests.factories import create_organization, create_personal_token
from tests.frontend.over_http import ask_for_link_over_http
from tests.graphql.convenings.documents import RSVP, gid, rsvp_input
from tests.infrastructure.postgres import scratch_database, with_database
from tests.infrastructure.replica import StreamingPair, fetchval, query_value, streaming_pair

pytestmark = pytest.mark.skipif(
    not os.environ.get("HUB_TEST_DATABASE_URL", "").startswith("postgresql"),
    reason="PostgreSQL only: streaming replication",
)

# Answered by the compiled path; VIEWER_RSVP by the normal path (strawberry).
CONVENING = """
query ($id: ID!) {
  node(id: $id) { ... on Convening { id counts { going } rsvps(first: 10) {
    edges { node { status person { name } } } } } }
}
"""
VIEWER_RSVP = """
query ($id: ID!) { node(id: $id) { ... on Convening { viewerRsvp { status } } } }
"""
CREATE_FEED = "mutation { createCalendarFeed(input: {}) { feed { url } errors { code } } }"
BASE_URL = "http://hub.test"


@pytest.fixture(scope="module")
def pair() -> Iterator[StreamingPair]:
    with streaming_pair() as started:
        yield started


@pytest.fixture(scope="module")
def databases(pair: StreamingPair) -> Iterator[tuple[str, str]]:
    """The hub's database on the primary, and the same database on the replica."""
    with scratch_database(pair.primary_url) as primary:
        asyncio.run(_create_schema(primary))
        fetchval(primary, "CREATE EXTENSION pg_stat_statements")  # its view, in this database
        pair.wait_for_replay()
        database = primary.rsplit("/", 1)[1]
        yield primary, with_database(pair.replica_url, database)


@dataclass
class Hub:
    app: Starlette
    runtime: Runtime
    primary: str
    replica: str

    def client(self) -> httpx.AsyncClient:
        """A client of its own (its own cookies, as one browser)."""
        transport = httpx.ASGITransport(app=self.app)
        return httpx.AsyncClient(transport=transport, base_url=BASE_URL)


@asynccontextmanager
async def hub(databases: tuple[str, str], max_lag_seconds: float) -> AsyncIterator[Hub]:
    primary, replica = databases
    settings = Settings(
        database_url=primary,
        database_replica_url=replica,
        replica_max_lag_seconds=max_lag_seconds,
        secret_key=TEST_SECRET,
        base_url=BASE_URL,
        # Signed person tokens, as the suite's own clients use (tests/conftest.py).
        accept_signed_person_tokens=True,
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        yield Hub(app, app.state.runtime, primary, replica)


@dataclass
class World:
    convening: Convening
    person: Person
    colleague: Person
    contact: Person


async def arranged(runtime: Runtime, pair: StreamingPair) -> World:
    async with runtime.sessions() as session:
        host = await create_organization(session)
        contact = await create_contact(session, host)
        convening = await create_convening(session, hosts=[host], capacity=10)
        person, colleague = await create_member(session), await create_member(session)
        await session.commit()
    await asyncio.to_thread(pair.wait_for_replay)
    return World(convening, person, colleague, contact)


async def calls(url: str, like: str) -> int:
    """How often statements whose text matches `like` ran in the URL's database."""
    database = url.rsplit("/", 1)[1]
    query = """
        SELECT coalesce(sum(calls), 0) FROM pg_stat_statements
        WHERE dbid = (SELECT oid FROM pg_database WHERE datname = $1) AND query ILIKE $2
    """
    return int(await query_value(url, query, database, like))  # type: ignore[arg-type]


def bearer(runtime: Runtime, person: Person) -> dict[str, str]:
    return {"Authorization": f"Bearer {runtime.signer.issue(f'person:{person.id}', 600)}"}


async def read_convening(
    client: httpx.AsyncClient,
    hub: Hub,
    world: World,
    reader: Person,
    document: str = CONVENING,
) -> dict:
    body = {"query": document, "variables": {"id": gid("Convening", world.convening.id)}}
    response = await client.post("/graphql", json=body, headers=bearer(hub.runtime, reader))
    assert response.status_code == 200, response.text
    assert "errors" not in response.json(), response.text
    # Only the compiled path times Python's share of the answer.
    compiled = "python;dur" in response.headers.get("server-timing", "")
    assert compiled is (document == CONVENING)
    return response.json()["data"]["node"]  # type: ignore[no-any-return]


def going(node: dict) -> list[str]:
    return [edge["node"]["person"]["name"] for edge in node["rsvps"]["edges"]]


async def test_reads_on_both_read_paths_feeds_and_csv_land_on_the_replica(pair, databases):
    async with hub(databases, max_lag_seconds=60) as running, running.client() as client:
        world = await arranged(running.runtime, pair)
        convening_id = gid("Convening", world.convening.id)
        compiled_before = await calls(running.replica, "%json_build_object%")
        on_primary_before = await calls(running.primary, "%json_build_object%")
        convenings_before = await calls(running.replica, "%FROM convenings%")

        for _ in range(3):  # the compiled path (a JSON POST)
            await read_convening(client, running, world, world.person)
        # the normal path (strawberry answers GET), an .ics file and the attendee CSV
        normal = await client.get(
            "/graphql",
            params={"query": "{ viewer { name } }"},
            headers=bearer(running.runtime, world.person),
        )
        ics = await client.get(
            f"/calendar/convenings/{convening_id}.ics",
            headers=bearer(running.runtime, world.person),
        )
        csv = await client.get(
            f"/convenings/{convening_id}/attendees.csv",
            headers=bearer(running.runtime, world.contact),
        )

    assert normal.status_code == 200 and normal.json() == {
        "data": {"viewer": {"name": world.person.name}}
    }
    assert ics.status_code == 200 and csv.status_code == 200
    assert await calls(running.replica, "%json_build_object%") - compiled_before == 3
    assert await calls(running.primary, "%json_build_object%") == on_primary_before
    # the .ics and the CSV read the convening there too (the GET's viewer is one more read)
    assert await calls(running.replica, "%FROM convenings%") - convenings_before >= 2
    # no reader left a marker: nobody wrote
    assert "hub_primary_position" not in client.cookies


async def test_a_person_sees_their_own_rsvp_at_once_while_the_replica_lags(pair, databases):
    async with (
        hub(databases, max_lag_seconds=600) as running,
        running.client() as browser,
        running.client() as colleague_browser,
    ):
        world = await arranged(running.runtime, pair)
        inserts_on_primary = await calls(running.primary, "INSERT INTO rsvps%")
        await asyncio.to_thread(pair.pause_replay)
        try:
            answer = await browser.post(
                "/graphql",
                json={"query": RSVP, "variables": rsvp_input(world.convening)},
                headers=bearer(running.runtime, world.person),
            )
            assert answer.json()["data"]["rsvp"]["errors"] == [], answer.text
            assert "hub_primary_position" in browser.cookies
            # It outlives the lag limit (600 s here): until then the replica may lack the write.
            cookie = answer.headers["set-cookie"]
            assert "Max-Age=605; Path=/; HttpOnly; SameSite=Lax" in cookie

            mine = await read_convening(browser, running, world, world.person)
            my_rsvp = await read_convening(browser, running, world, world.person, VIEWER_RSVP)
            theirs = await read_convening(colleague_browser, running, world, world.colleague)
        finally:
            await asyncio.to_thread(pair.resume_replay)

    assert mine["counts"] == {"going": 1} and going(mine) == [world.person.name]
    assert my_rsvp == {"viewerRsvp": {"status": "GOING"}}
    # Whoever did not write reads the lagging replica: the RSVP is not there yet.
    assert theirs["counts"] == {"going": 0} and going(theirs) == []
    # The write went to the primary; a standby runs no INSERT.
    assert await calls(running.primary, "INSERT INTO rsvps%") == inserts_on_primary + 1
    assert await calls(running.replica, "INSERT INTO rsvps%") == 0


async def test_a_replica_lagging_past_the_limit_is_skipped_with_a_warning(pair, databases, caplog):
    async with hub(databases, max_lag_seconds=0.5) as running, running.client() as client:
        world = await arranged(running.runtime, pair)
        await asyncio.to_thread(pair.pause_replay)
        try:
            async with running.runtime.sessions() as session:
                await create_member(session)  # WAL the replica receives and does not apply
                await session.commit()
            await asyncio.sleep(1.2)  # past the limit, and past the last health check
            before = await calls(running.replica, "%json_build_object%")
            with caplog.at_level(logging.WARNING, logger="hub.infrastructure.db_routing"):
                read = await read_convening(client, running, world, world.person)
        finally:
            await asyncio.to_thread(pair.resume_replay)

    assert read["counts"] == {"going": 0}
    assert await calls(running.replica, "%json_build_object%") == before
    assert any("lags" in record.getMessage() for record in caplog.records)


async def test_with_the_replica_stopped_reads_still_succeed_with_a_warning(pair, databases, caplog):
    async with hub(databases, max_lag_seconds=60) as running, running.client() as client:
        world = await arranged(running.runtime, pair)
        await read_convening(client, running, world, world.person)  # its pool is warm
        await asyncio.to_thread(pair.stop_replica)
        try:
            with caplog.at_level(logging.WARNING, logger="hub.infrastructure.db_routing"):
                compiled = await read_convening(client, running, world, world.person)
                normal = await client.get(
                    "/graphql",
                    params={"query": "{ viewer { name } }"},
                    headers=bearer(running.runtime, world.person),
                )
                ics = await client.get(
                    f"/calendar/convenings/{gid('Convening', world.convening.id)}.ics",
                    headers=bearer(running.runtime, world.person),
                )
        finally:
            await asyncio.to_thread(pair.start_replica)

    assert compiled["counts"] == {"going": 0}
    assert normal.status_code == 200 and normal.json()["data"]["viewer"]["name"]
    assert ics.status_code == 200
    assert any("read replica" in record.getMessage() for record in caplog.records)


async def test_a_person_made_moments_ago_is_not_refused_by_a_lagging_replica(pair, databases):
    async with hub(databases, max_lag_seconds=600) as running, running.client() as client:
        world = await arranged(running.runtime, pair)
        await asyncio.to_thread(pair.pause_replay)
        try:
            async with running.runtime.sessions() as session:
                newcomer = await create_member(session)  # on the primary only, for now
                await session.commit()
            compiled = await read_convening(client, running, world, newcomer)
            normal = await read_convening(client, running, world, newcomer, VIEWER_RSVP)
            ics = await client.get(
                f"/calendar/convenings/{gid('Convening', world.convening.id)}.ics",
                headers=bearer(running.runtime, newcomer),
            )
        finally:
            await asyncio.to_thread(pair.resume_replay)

    # The replica does not know them yet; their token is checked on the primary instead.
    assert compiled["counts"] == {"going": 0}
    assert normal == {"viewerRsvp": None}
    assert ics.status_code == 200, ics.text


@pytest.mark.parametrize(
    "marker",
    ["0/16B3748", "99999999999", "not-a-marker", "123.abc.def"],
)
async def test_a_forged_or_damaged_marker_is_ignored(pair, databases, marker):
    async with hub(databases, max_lag_seconds=60) as running, running.client() as client:
        world = await arranged(running.runtime, pair)
        client.cookies.set("hub_primary_position", marker)
        before = await calls(running.replica, "%json_build_object%")

        node = await read_convening(client, running, world, world.person)

    assert node["counts"] == {"going": 0}
    assert await calls(running.replica, "%json_build_object%") == before + 1


async def test_a_page_post_leaves_a_marker_and_a_page_read_none(pair, databases):
    async with hub(databases, max_lag_seconds=60) as running, running.client() as browser:
        world = await arranged(running.runtime, pair)
        form = await browser.get("/signin")
        assert "hub_primary_position" not in browser.cookies
        posted = await ask_for_link_over_http(browser, world.person.email)

    assert form.status_code == 200 and posted.status_code == 200, posted.text
    assert "hub_primary_position" in browser.cookies


async def test_a_feed_made_moments_ago_is_found_while_the_replica_lags(pair, databases):
    async with (
        hub(databases, max_lag_seconds=600) as running,
        running.client() as browser,
        running.client() as calendar_app,
    ):
        world = await arranged(running.runtime, pair)
        await asyncio.to_thread(pair.pause_replay)
        try:
            made = await browser.post(
                "/graphql",
                json={"query": CREATE_FEED},
                headers=bearer(running.runtime, world.person),
            )
            url = made.json()["data"]["createCalendarFeed"]["feed"]["url"]
            fetched = await calendar_app.get(url.removeprefix(BASE_URL))
            unknown = await calendar_app.get("/calendar/feeds/no-such-token.ics")
        finally:
            await asyncio.to_thread(pair.resume_replay)

    # The replica has no such feed yet: the primary is asked before answering 404.
    assert fetched.status_code == 200, fetched.text
    assert fetched.text.startswith("BEGIN:VCALENDAR")
    assert unknown.status_code == 404


async def test_a_token_revoked_moments_ago_is_refused_while_the_replica_lags(pair, databases):
    """A revocation holds at once: credentials are checked on the primary, whatever the
    replica has replayed; only the data is read from the replica."""
    async with hub(databases, max_lag_seconds=600) as running, running.client() as client:
        world = await arranged(running.runtime, pair)
        async with running.runtime.sessions() as session:
            secret = await create_personal_token(session, world.person)
            await session.commit()
        await asyncio.to_thread(pair.wait_for_replay)
        headers = {"Authorization": f"Bearer {secret}"}
        variables = {"id": gid("Convening", world.convening.id)}
        ics_url = f"/calendar/convenings/{gid('Convening', world.convening.id)}.ics"

        async def reads() -> list[httpx.Response]:
            compiled = await client.post(
                "/graphql", json={"query": CONVENING, "variables": variables}, headers=headers
            )
            normal = await client.get(
                "/graphql",
                params={"query": CONVENING, "variables": json.dumps(variables)},
                headers=headers,
            )
            return [compiled, normal, await client.get(ics_url, headers=headers)]

        assert [r.status_code for r in await reads()] == [200, 200, 200]
        await asyncio.to_thread(pair.pause_replay)
        try:
            async with running.runtime.sessions() as session:
                token_id = await session.scalar(
                    select(PersonalAccessToken.id).where(
                        PersonalAccessToken.token_hash == personal_token_hash(secret)
                    )
                )
                assert token_id is not None
                await revoke_personal_token(
                    session, token_id, actor_id=None, owner_id=world.person.id, now=utcnow()
                )
                await session.commit()
            after = await reads()
        finally:
            await asyncio.to_thread(pair.resume_replay)

    assert [r.status_code for r in after] == [401, 401, 401], [r.text for r in after]
    assert all("revoked" in r.text for r in after[:2]), [r.text for r in after]

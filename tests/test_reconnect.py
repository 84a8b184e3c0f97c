"""PostgreSQL going away under the hub (a restart, a failover, an idle timeout): connections the
pool holds are dead, and the next requests are still answered, on both read paths. The pool
pings a connection that sat idle before handing it out (hub/infrastructure/db.py), and replaces it
if dead; the compiled path, finding its connection dead anyway (no time to sit idle under load),
renews the pool and leaves the request to the normal path.

A server ends a connection in one of two ways as its client sees it: already closed when the
next statement is sent (InterfaceError), or in the middle of a statement
(ConnectionDoesNotExistError, which asyncpg also makes a PostgresError, the class of a
statement's own errors). Either way the connection never goes back to the pool."""

from __future__ import annotations

import asyncio
import dataclasses
from contextlib import AsyncExitStack

import asyncpg
import pytest
from sqlalchemy import event, text

from hub.infrastructure.driver import driver_connection
from tests.factories import create_organization, create_person

QUERY = "{ organizations(first: 5) { totalCount edges { node { name } } } }"


async def terminate(database_url: str, pids: set[int]) -> int:
    """What a server restart does to those connections: ended, from a connection of our own
    (only these: other tests' hubs share the database)."""
    connection = await asyncpg.connect(database_url.replace("+asyncpg", ""))
    try:
        ended = await connection.fetchval(
            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE pid = ANY($1::int[])",
            list(pids),
        )
        return int(ended)
    finally:
        await connection.close()


@pytest.mark.parametrize(
    ("compiled_reads", "idle_seconds"),
    [(True, 0.0), (False, 0.0), (True, 1e9)],
    ids=["compiled, idle", "normal, idle", "compiled, busy"],
)
async def test_requests_are_answered_after_the_server_dropped_every_connection(
    session, gql, runtime, monkeypatch, postgresql_only, compiled_reads, idle_seconds
):
    # Given a hub that has answered, so its pool holds connections
    monkeypatch.setattr(runtime, "settings", _with(runtime.settings, compiled_reads))
    used: set[int] = set()

    def remember_pid(dbapi_connection, _record, _proxy) -> None:
        used.add(dbapi_connection.driver_connection.get_server_pid())

    event.listen(runtime.engine.sync_engine, "checkout", remember_pid)
    person = await create_person(session)
    await create_organization(session, name="Still Here")
    await session.commit()
    assert (await gql.data(QUERY, as_=person))["organizations"]["totalCount"] == 1

    # When PostgreSQL drops them all (and they sit idle past the ping threshold, or not)
    event.remove(runtime.engine.sync_engine, "checkout", remember_pid)
    assert await terminate(runtime.settings.database_url, used) >= 1
    monkeypatch.setattr("hub.infrastructure.db.PING_AFTER_IDLE_SECONDS", idle_seconds)

    # Then the next requests are answered, as if nothing happened
    try:
        for _ in range(3):
            data = await gql.data(QUERY, as_=person)
            assert data["organizations"]["edges"] == [{"node": {"name": "Still Here"}}]
    finally:
        await runtime.engine.dispose()  # no dead connection left for the tests after this one


async def test_a_connection_ended_in_the_middle_of_a_statement_is_not_given_back_to_the_pool(
    runtime, monkeypatch, postgresql_only
):
    # Given nothing that would ping a connection before handing it out
    monkeypatch.setattr("hub.infrastructure.db.PING_AFTER_IDLE_SECONDS", 1e9)
    url = runtime.settings.database_url
    try:
        # When the server ends a connection while a statement runs on it, and the caller deals
        # with that statement's error itself, as it would with any statement's error
        async with driver_connection(runtime.engine) as connection:
            pid = connection.get_server_pid()
            sleeping = asyncio.ensure_future(connection.fetchval("SELECT pg_sleep(30)"))
            await _until_running(url, pid)
            assert await terminate(url, {pid}) == 1
            with pytest.raises(asyncpg.PostgresError) as ended:
                await sleeping
            assert isinstance(ended.value, asyncpg.exceptions.ConnectionDoesNotExistError)
            assert connection.is_closed()

        # Then every connection the pool hands out afterwards is alive
        async with AsyncExitStack() as held:
            for _ in range(runtime.engine.pool.checkedin() + 1):
                pooled = await held.enter_async_context(runtime.engine.connect())
                assert (await pooled.execute(text("SELECT 1"))).scalar() == 1
    finally:
        await runtime.engine.dispose()


async def _until_running(database_url: str, pid: int) -> None:
    connection = await asyncpg.connect(database_url.replace("+asyncpg", ""))
    try:
        for _ in range(500):
            state = await connection.fetchval(
                "SELECT state FROM pg_stat_activity WHERE pid = $1", pid
            )
            if state == "active":
                return
            await asyncio.sleep(0.01)
        raise AssertionError("the statement never started")
    finally:
        await connection.close()


def _with(settings, compiled_reads: bool):
    return dataclasses.replace(settings, compiled_reads=compiled_reads)

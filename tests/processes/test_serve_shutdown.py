"""`hub serve` stopped by SIGTERM in the middle of a burst of RSVPs, as an orchestrator stops
it on every deploy: it stops accepting at once, answers the requests it had begun, and every
RSVP it acknowledged is stored, whole; none it refused is."""

from __future__ import annotations

import asyncio
import signal
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from hub.infrastructure.config import ConfigurationError, Settings
from hub.infrastructure.models import Convening, OutboxMessage, Rsvp
from hub.interfaces.graphql.node import to_global_id
from hub.interfaces.runtime import Runtime
from tests.convenings.factories import create_convening, create_member
from tests.factories import create_personal_token
from tests.infrastructure.served import free_port, newcomer_env, running

PEOPLE = 20
CONVENINGS = 10  # PEOPLE x CONVENINGS RSVPs in all: 200
AT_ONCE = 40
# The signal comes once this many RSVPs are answered, with AT_ONCE more in flight.
SIGNAL_AFTER = 40
RSVP = """
mutation ($input: RsvpInput!) {
  rsvp(input: $input) { rsvp { status } errors { code } }
}
"""
# What a client sees of a server that is gone or going before it read the request: the
# connection refused, or closed (reset) with no answer at all.
REFUSED = (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError)


@dataclass
class Burst:
    signalled_at: float = 0.0
    acknowledged: set[tuple[int, int]] = field(default_factory=set)
    answered_after_signal: int = 0
    refused: Counter[str] = field(default_factory=Counter)
    unexpected: list[str] = field(default_factory=list)
    enough_answered: asyncio.Event = field(default_factory=asyncio.Event)


async def arrange(
    session, people: int = PEOPLE, convenings: int = CONVENINGS
) -> list[tuple[int, int, str]]:
    """Members with a personal access token each, and convenings they may see: (convening id,
    person id, token) for each pair."""
    members = [await create_member(session) for _ in range(people)]
    meetings = [await create_convening(session) for _ in range(convenings)]
    tokens = {p.id: await create_personal_token(session, p) for p in members}
    await session.commit()
    return [(c.id, p.id, tokens[p.id]) for c in meetings for p in members]


async def rsvp(
    client: httpx.AsyncClient, burst: Burst, convening_id: int, person_id: int, token: str
) -> None:
    convening = to_global_id("Convening", convening_id)
    variables = {"input": {"conveningId": convening, "status": "GOING"}}
    try:
        response = await client.post(
            "/graphql",
            json={"query": RSVP, "variables": variables},
            headers={"Authorization": f"Bearer {token}"},
        )
    except REFUSED as refused:
        burst.refused[type(refused).__name__] += 1
        return
    answer = response.json() if response.status_code == 200 else None
    if answer == {"data": {"rsvp": {"rsvp": {"status": "GOING"}, "errors": []}}}:
        burst.acknowledged.add((convening_id, person_id))
        burst.answered_after_signal += bool(burst.signalled_at)
        if len(burst.acknowledged) >= SIGNAL_AFTER:
            burst.enough_answered.set()
    elif response.status_code == 503:
        burst.refused["503"] += 1
    else:
        burst.unexpected.append(f"{response.status_code} {response.text[:300]}")


async def send_burst(base_url: str, answers: list[tuple[int, int, str]], stop) -> Burst:
    burst = Burst()
    # No connection is kept for another request: each finds the server accepting, or not.
    limits = httpx.Limits(max_connections=AT_ONCE, max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=30) as client:
        sending = asyncio.gather(*(rsvp(client, burst, *answer) for answer in answers))
        enough = asyncio.create_task(burst.enough_answered.wait())
        await asyncio.wait({sending, enough}, return_when=asyncio.FIRST_COMPLETED)
        enough.cancel()
        stop()
        burst.signalled_at = time.monotonic()
        await sending
    return burst


async def stored(runtime: Runtime) -> tuple[set[tuple[int, int]], dict[int, int], int]:
    """The RSVPs stored, each convening's going count, and the confirmations queued."""
    async with runtime.sessions() as session:
        rsvps = (await session.execute(select(Rsvp.convening_id, Rsvp.person_id))).all()
        going = dict((await session.execute(select(Convening.id, Convening.going_count))).all())
        queued = await session.scalar(select(func.count()).select_from(OutboxMessage))
    return {(c, p) for c, p in rsvps}, going, int(queued or 0)


async def test_sigterm_during_a_burst_of_rsvps_leaves_none_half_done(
    session, runtime, settings, tmp_path: Path
):
    # Given `hub serve` on a migrated database, and 200 RSVPs from 20 members to 10 convenings
    answers = await arrange(session)
    port = free_port()
    env = newcomer_env(
        HUB_DATABASE_URL=settings.database_url,
        HUB_DATABASE_POOLER=settings.database_pooler,
        HUB_SECRET_KEY=settings.secret_key or "",
        HUB_BASE_URL=settings.base_url,
        HUB_SHUTDOWN_GRACE_SECONDS="10",
    )
    command = [sys.executable, "-m", "hub", "serve", "--port", str(port)]
    with running(command, cwd=tmp_path, env=env) as console:
        console.wait_for(r"Uvicorn running on")

        # When they are sent 40 at a time, and SIGTERM comes once 40 are answered
        def stop() -> None:
            console.process.send_signal(signal.SIGTERM)

        burst = await send_burst(f"http://127.0.0.1:{port}", answers, stop)
        exit_code = await asyncio.to_thread(console.process.wait, 30)

    # Then the server stopped by itself, having shut down cleanly (uvicorn then ends by the
    # signal it caught, as an orchestrator expects), every request was answered or refused
    # cleanly, the ones in flight at the signal were answered, and the rest were refused
    assert exit_code == -signal.SIGTERM, console.text
    assert "Application shutdown complete." in console.text
    assert burst.unexpected == []
    assert len(burst.acknowledged) + sum(burst.refused.values()) == len(answers)
    assert burst.answered_after_signal > 0
    assert sum(burst.refused.values()) > 0
    # and exactly the acknowledged RSVPs are stored, each whole: counted on its convening,
    # its confirmation queued
    rsvps, going, queued = await stored(runtime)
    assert rsvps == burst.acknowledged
    assert going == dict(Counter(c for c, _ in burst.acknowledged)) | {
        c: 0 for c in going if c not in {c for c, _ in burst.acknowledged}
    }
    assert queued == len(rsvps)


def test_a_grace_that_is_no_number_of_seconds_is_refused():
    with pytest.raises(ConfigurationError) as refused:
        Settings.from_env({"HUB_SHUTDOWN_GRACE_SECONDS": "soon"})

    assert str(refused.value) == (
        "HUB_SHUTDOWN_GRACE_SECONDS must be a whole number of seconds, not 'soon'"
    )
    assert Settings.from_env({"HUB_SHUTDOWN_GRACE_SECONDS": "5"}).shutdown_grace_seconds == 5
    assert Settings.from_env({}).shutdown_grace_seconds == 20


GRACE_SECONDS = 1


async def test_a_request_still_running_when_the_grace_ends_is_cut_and_stores_nothing(
    session, runtime, settings, tmp_path: Path
):
    # Given `hub serve` with a grace of one second, and an RSVP it is answering that waits
    # for a lock another transaction holds (the convening's row; on SQLite, the database's)
    ((convening_id, person_id, token),) = await arrange(session, 1, 1)
    env = newcomer_env(
        HUB_DATABASE_URL=settings.database_url,
        HUB_DATABASE_POOLER=settings.database_pooler,
        HUB_SECRET_KEY=settings.secret_key or "",
        HUB_BASE_URL=settings.base_url,
        HUB_SHUTDOWN_GRACE_SECONDS=str(GRACE_SECONDS),
    )
    port = free_port()
    command = [sys.executable, "-m", "hub", "serve", "--port", str(port)]
    burst = Burst()
    with running(command, cwd=tmp_path, env=env) as console:
        console.wait_for(r"Uvicorn running on")
        async with runtime.sessions() as holder, holder.begin():
            await holder.execute(
                select(Convening.id).where(Convening.id == convening_id).with_for_update()
            )
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as c:
                waiting = asyncio.create_task(rsvp(c, burst, convening_id, person_id, token))
                await asyncio.sleep(1)  # for the server to read it and reach the lock

                # When SIGTERM comes while it waits
                signalled_at = time.monotonic()
                console.process.send_signal(signal.SIGTERM)
                exit_code = await asyncio.to_thread(console.process.wait, 15)
                stopped_after = time.monotonic() - signalled_at
                await waiting

    # Then the server gave it the grace, then cut it and stopped; the client had no answer,
    # and nothing of it is stored
    assert exit_code == -signal.SIGTERM, console.text
    assert GRACE_SECONDS <= stopped_after < GRACE_SECONDS + 5
    assert (burst.acknowledged, burst.unexpected) == (set(), [])
    assert sum(burst.refused.values()) == 1
    rsvps, _, queued = await stored(runtime)
    assert (rsvps, queued) == (set(), 0)

"""Asking for a sign-in link tells nothing about whether the address is known: the same
answer, the same statements, and (measured) the same time."""

from __future__ import annotations

import statistics
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from starlette.applications import Starlette

from hub.interfaces.runtime import Runtime
from tests.factories import create_person
from tests.frontend.over_http import csrf_of
from tests.infrastructure.outbox import outbox_rows
from tests.infrastructure.statements import driver_queries_logged

# Requests of each kind, taking turns: enough that the median of the differences holds still
# and the fastest tenth of each kind is several requests.
REQUESTS_EACH = 60
# A known address's request may take longer than an unknown one's by this share of a request
# or this many seconds, whichever is larger. (The old hub's known addresses took 20-30% longer.)
TOLERANCE_SHARE = 0.15
TOLERANCE_SECONDS = 0.002


@asynccontextmanager
async def browser_at(app: Starlette, n: int) -> AsyncIterator[httpx.AsyncClient]:
    """A client of its own (cookies, address): the rate limit per client never comes in."""
    transport = httpx.ASGITransport(app=app, client=(f"10.1.{n // 250}.{n % 250 + 1}", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as client:
        yield client


async def timed_request(app: Starlette, n: int, email: str) -> tuple[float, httpx.Response]:
    async with browser_at(app, n) as client:
        form = await client.get("/signin")
        data = {"email": email, "csrf_token": csrf_of(form)}
        started = time.perf_counter()
        answer = await client.post("/signin", data=data)
        return time.perf_counter() - started, answer


async def test_known_and_unknown_addresses_run_the_same_statements(
    app, session, runtime: Runtime, statements
):
    # Given a person, and an address that is no one's (and one request to warm up)
    await create_person(session, email="ana@example.org")
    await session.commit()
    await timed_request(app, 0, "warm@example.org")

    # When each asks for a link
    texts = {}
    for n, email in enumerate(("ana@example.org", "nobody@example.org"), start=1):
        async with browser_at(app, n) as client:
            form = await client.get("/signin")
            statements.statements.clear()
            answer = await client.post(
                "/signin", data={"email": email, "csrf_token": csrf_of(form)}
            )
            await driver_queries_logged()
        assert answer.status_code == 200
        texts[email] = list(statements.statements)

    # Then the very same statements ran, in the same order; only their rows differ
    assert texts["ana@example.org"] == texts["nobody@example.org"]
    assert [row.recipient_address for row in await outbox_rows(runtime)] == ["ana@example.org"]


async def test_known_and_unknown_addresses_take_the_same_time(app, session, runtime: Runtime):
    # Given 60 people, and 60 addresses that are no one's
    known = [f"known{n}@example.org" for n in range(REQUESTS_EACH)]
    for email in known:
        await create_person(session, email=email)
    await session.commit()
    unknown = [f"unknown{n}@example.org" for n in range(REQUESTS_EACH)]
    await timed_request(app, 0, "warm@example.org")

    # When each asks for a link, known and unknown taking turns
    times: dict[str, list[float]] = {"known": [], "unknown": []}
    bodies = set()
    for n, (mine, nobodys) in enumerate(zip(known, unknown, strict=True)):
        turns = [("known", mine), ("unknown", nobodys)]
        for kind, email in turns if n % 2 else reversed(turns):
            took, answer = await timed_request(app, 2 * n + 1 + (kind == "unknown"), email)
            times[kind].append(took)
            bodies.add(answer.text.split('name="csrf_token"')[0])

    # Then the answers are alike, and so are the times, seen two ways: the median difference
    # between neighbouring requests (which share the machine's load), and each kind's fastest
    # tenth (what a request costs the hub itself). Load on 2 cores can push either one past the
    # tolerance now and then, seldom both at once; a difference the hub makes (the old hub's
    # 20-30%) shows in both.
    assert len(bodies) == 1
    paired = statistics.median(k - u for k, u in zip(times["known"], times["unknown"], strict=True))
    typical = statistics.median(times["known"] + times["unknown"])
    fastest = {kind: statistics.quantiles(taken, n=10)[0] for kind, taken in times.items()}
    fast = min(fastest.values())
    seen = {
        "paired": abs(paired) <= max(TOLERANCE_SHARE * typical, TOLERANCE_SECONDS),
        "fastest": abs(fastest["known"] - fastest["unknown"])
        <= max(TOLERANCE_SHARE * fast, TOLERANCE_SECONDS),
    }
    assert any(seen.values()), (paired, typical, fastest)
    assert len(await outbox_rows(runtime)) == REQUESTS_EACH

"""Whose address a request comes from: X-Forwarded-For is believed only from the proxies
HUB_TRUSTED_PROXIES names (none by default), for budgets and the sign-in limit alike."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import re
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from starlette.requests import HTTPConnection

from hub.app import create_app
from hub.infrastructure.config import Settings, trusted_proxies
from hub.infrastructure.models import RateLimitBucket, SigninAttempt
from hub.interfaces.web.client_address import client_address
from tests.frontend.server import free_port

HUB = Path(sys.executable).parent / "hub"
RATE_LIMIT = {"query": "{ rateLimit { remaining } }"}
PROXIES = trusted_proxies("127.0.0.1, 10.0.0.0/8 fd00::/8")


def connection(peer: str, *forwarded: str) -> HTTPConnection:
    headers = [(b"x-forwarded-for", hops.encode()) for hops in forwarded]
    return HTTPConnection({"type": "http", "client": (peer, 4000), "headers": headers})


@pytest.mark.parametrize(
    ("peer", "forwarded", "client"),
    [
        # Nobody is trusted by default, nor a peer outside the list: the header is ignored
        ("203.0.113.9", ["198.51.100.1"], "203.0.113.9"),
        # Through one trusted proxy: the address it appended
        ("127.0.0.1", ["203.0.113.7"], "203.0.113.7"),
        # What the client wrote left of the first untrusted hop means nothing
        ("127.0.0.1", ["198.51.100.1, 203.0.113.7, 10.0.0.2"], "203.0.113.7"),
        # Two headers are one list
        ("127.0.0.1", ["198.51.100.1", "203.0.113.7, 10.1.2.3"], "203.0.113.7"),
        # Only trusted hops: the leftmost
        ("127.0.0.1", ["10.0.0.3, 10.0.0.2"], "10.0.0.3"),
        # A hop that is no address stops the walk at the proxy that passed it on
        ("127.0.0.1", ["203.0.113.7, garbage"], "127.0.0.1"),
        # IPv6, and IPv4 as a dual-stack socket writes it
        ("fd00::1", ["2001:db8::5"], "2001:db8::5"),
        ("::ffff:10.0.0.2", ["203.0.113.7"], "203.0.113.7"),
        # No header at all
        ("127.0.0.1", [], "127.0.0.1"),
    ],
)
def test_the_client_is_the_rightmost_untrusted_hop(peer, forwarded, client):
    trusted = () if peer == "203.0.113.9" else PROXIES
    assert client_address(connection(peer, *forwarded), trusted) == client


def test_an_entry_that_is_no_address_or_cidr_is_refused_at_start_up():
    with pytest.raises(ValueError, match="HUB_TRUSTED_PROXIES: not an address or CIDR: 'proxy'"):
        Settings.from_env({"HUB_TRUSTED_PROXIES": "10.0.0.1, proxy"})
    assert Settings.from_env({}).trusted_proxies == ()


@asynccontextmanager
async def hub_serve(settings: Settings) -> AsyncIterator[str]:
    """`hub serve` as an operator starts it, with no trusted proxy configured."""
    port = free_port()
    env = dict(os.environ) | {
        "HUB_DATABASE_URL": settings.database_url,
        "HUB_SECRET_KEY": settings.secret_key or "",
    }
    process = await asyncio.create_subprocess_exec(
        str(HUB), "serve", "--port", str(port), env=env, stdout=asyncio.subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=url) as client, asyncio.timeout(60):
            while True:
                try:
                    if (await client.get("/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    await asyncio.sleep(0.2)
        yield url
    finally:
        process.terminate()
        await process.wait()


async def test_a_forged_header_lifts_no_budget_of_hub_serve(runtime, settings):
    # Given `hub serve`, reached from 127.0.0.1 with no proxy in front
    async with hub_serve(settings) as url, httpx.AsyncClient(base_url=url) as client:
        # When an anonymous caller claims another address with each request
        responses = [
            await client.post(
                "/graphql", json=RATE_LIMIT, headers={"X-Forwarded-For": f"198.51.100.{n}"}
            )
            for n in range(3)
        ]

    # Then all three draw on one budget, its own
    remaining = [r.json()["data"]["rateLimit"]["remaining"] for r in responses]
    assert remaining == [999, 998, 997]


@asynccontextmanager
async def https_hub(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)  # its peer: 127.0.0.1
        async with httpx.AsyncClient(transport=transport, base_url="https://hub.test") as client:
            yield client


async def ask_for_a_link(client: httpx.AsyncClient, forwarded: str) -> httpx.Response:
    form = await client.get("/signin")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert token is not None
    return await client.post(
        "/signin",
        data={"email": "ana@example.org", "csrf_token": token.group(1)},
        headers={"X-Forwarded-For": forwarded},
    )


async def addresses_seen(session) -> tuple[list[str], list[str]]:
    buckets = await session.scalars(select(RateLimitBucket.caller_key))
    attempts = await session.scalars(select(SigninAttempt.client_address))
    seen = sorted(buckets), sorted(attempts)
    await session.commit()
    return seen


@pytest.mark.parametrize(
    ("trusted", "seen_as"),
    [("", "127.0.0.1"), ("127.0.0.1", "203.0.113.7")],
    ids=["no trusted proxy", "behind a trusted proxy"],
)
async def test_budgets_and_the_sign_in_limit_see_one_client_address(
    session, settings, trusted, seen_as
):
    # Given a hub trusting no proxy, or its peer as a proxy
    configured = dataclasses.replace(settings, trusted_proxies=trusted_proxies(trusted))

    # When a query and a sign-in request arrive with a forwarded address
    async with https_hub(configured) as client:
        headers = {"X-Forwarded-For": "198.51.100.1, 203.0.113.7"}
        await client.post("/graphql", json=RATE_LIMIT, headers=headers)
        signin = await ask_for_a_link(client, "198.51.100.1, 203.0.113.7")

    # Then the budget and the sign-in limit both count that one address
    assert signin.status_code == 200
    assert await addresses_seen(session) == ([f"address:{seen_as}"], [seen_as])

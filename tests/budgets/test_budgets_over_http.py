"""Budgets at /graphql: charged before execution, shared by every process through the database,
reported in RateLimit-* headers and `rateLimit`, refused with 429 when spent."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime

import httpx
from sqlalchemy import select

from hub.access.budgets.buckets import window_start
from hub.app import create_app
from hub.infrastructure.config import Settings
from hub.infrastructure.models import RateLimitBucket
from hub.infrastructure.models.base import utcnow
from tests.auth.peers import fetch_token, https_client, register_peer
from tests.factories import create_organization, create_person

RATE_LIMIT = "{ rateLimit { cost limit remaining resetAt } }"
# A window far longer than a test, so that no test straddles two windows.
LONG_WINDOW = 10**9


@asynccontextmanager
async def hub_process(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """A hub app with its own lifespan and engine, as a separate process would have."""
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as client:
            yield client


async def buckets(session) -> dict[str, int]:
    rows = (await session.execute(select(RateLimitBucket.caller_key, RateLimitBucket.points))).all()
    await session.commit()
    return dict(rows)


async def test_two_processes_admit_exactly_the_budget(session, settings):
    # Given two hub processes on one database, and an anonymous budget of 7 points
    small = dataclasses.replace(
        settings, budget_anonymous_points=7, budget_window_seconds=LONG_WINDOW
    )
    await create_organization(session, name="Only One")
    await session.commit()
    query = {"query": "{ organizations(first: 1) { edges { node { name } } } }"}

    # When twelve one-point queries arrive at the same time, spread over both
    async with hub_process(small) as first, hub_process(small) as second:
        responses = await asyncio.gather(
            *((first if n % 2 else second).post("/graphql", json=query) for n in range(12))
        )

    # Then exactly seven are admitted, and every other answers 429 with Retry-After
    admitted = [r for r in responses if r.status_code == 200]
    refused = [r for r in responses if r.status_code == 429]
    assert len(admitted) == 7
    assert len(refused) == 5
    assert sum(1 for r in admitted if r.json()["data"]["organizations"]) == 7
    for response in refused:
        body = response.json()
        assert body["data"] is None
        assert body["errors"][0]["extensions"] == {"code": "RATE_LIMITED", "cost": 1}
        assert int(response.headers["retry-after"]) > 0
        assert response.headers["retry-after"] == response.headers["ratelimit-reset"]
        assert response.headers["ratelimit-remaining"] == "0"
    assert await buckets(session) == {"address:127.0.0.1": 7}


async def test_a_query_costlier_than_what_remains_spends_nothing(session, settings):
    small = dataclasses.replace(
        settings, budget_anonymous_points=5, budget_window_seconds=LONG_WINDOW
    )
    two_points = {"query": "{ organizations(first: 200) { edges { node { name } } } }"}
    costly = {"query": "{ organizations(first: 400) { edges { node { name } } } }"}  # 4 points

    async with hub_process(small) as hub:
        await hub.post("/graphql", json=two_points)
        refused = await hub.post("/graphql", json=costly)
        cheap = await hub.post("/graphql", json={"query": RATE_LIMIT})

    assert refused.status_code == 429
    assert refused.json()["errors"][0]["message"].startswith(
        "Rate limit exceeded: this query costs 4 points and 3 of 5 remain until "
    )
    assert cheap.status_code == 200
    assert cheap.json()["data"]["rateLimit"]["remaining"] == 2


async def test_every_answer_carries_rate_limit_headers(gql, settings):
    # A good query, a query that errs while running, and a document that fails validation
    good = await gql.post("{ organizations { totalCount } }")
    failing = await gql.post('{ organizations(after: "forged") { totalCount } }')
    invalid = await gql.post("{ noSuchField }")

    for response in (good, failing, invalid):
        assert response.status_code == 200
        assert response.headers["ratelimit-limit"] == str(settings.budget_anonymous_points)
        assert 0 < int(response.headers["ratelimit-reset"]) <= settings.budget_window_seconds
    # The invalid document ran nothing and was not charged
    assert [r.headers["ratelimit-remaining"] for r in (good, failing, invalid)] == [
        "999",
        "998",
        "998",
    ]


async def test_the_rate_limit_field_reports_the_budget(gql, settings):
    await gql.post("{ organizations { totalCount } }")

    data = await gql.data(RATE_LIMIT)

    expected_reset = window_start(utcnow(), settings.budget_window_seconds).timestamp() + 3600
    rate_limit = data["rateLimit"]
    assert {k: rate_limit[k] for k in ("cost", "limit", "remaining")} == {
        "cost": 1,
        "limit": 1000,
        "remaining": 998,
    }
    assert datetime.fromisoformat(rate_limit["resetAt"]).timestamp() == expected_reset


async def test_a_nested_query_costs_the_hand_computed_figure(session, gql):
    # 30 + 30*50 + 30*50*50 objects = 766 points (see tests/budgets/test_cost.py)
    person = await create_person(session)
    await session.commit()
    query = """{ rateLimit { cost remaining } organizations(first: 30) { edges { node {
        affiliations { person { affiliations { organization { name } } } } } } } }"""

    data = await gql.data(query, as_=person)

    assert data["rateLimit"] == {"cost": 766, "remaining": 5000 - 766}


async def test_people_and_clients_have_their_own_budgets(session, gql, app):
    # Given a person and a peer client
    person = await create_person(session)
    peer = await register_peer(session)
    async with https_client(app) as https:
        token = await fetch_token(https, peer)

    # When each queries
    as_person = await gql.data(RATE_LIMIT, as_=person)
    as_client = (await gql(RATE_LIMIT, token=token))["data"]

    # Then each draws on its own bucket, with the larger budget of known callers
    assert as_person["rateLimit"]["remaining"] == 4999
    assert as_client["rateLimit"]["remaining"] == 4999
    assert await buckets(session) == {
        f"person:{person.id}": 1,
        f"client:{peer.client.client_id}": 1,
    }


async def test_a_refused_mutation_still_spends_its_points(session, gql):
    # Given a person who is not an admin
    person = await create_person(session)
    await session.commit()

    # When they try a mutation that is refused and rolled back
    body = await gql(
        'mutation { createOrganization(input: {name: "X", kind: MEMBER}) { errors { code } } }',
        as_=person,
    )

    # Then the charge was kept all the same
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await buckets(session) == {f"person:{person.id}": 1}


# 500 convenings, up to 500 RSVPs under each and 50 affiliations under each RSVP's person:
# 500 + 250,000 + 12,500,000 objects, 127,505 points, more than any budget allows a window.
NEVER_FITS = """{ convenings(first: 500) { edges { node { rsvps(first: 500) { edges { node {
  person { affiliations { role } } } } } } } } }"""
COST = 127_505


def too_costly(cost: int, limit: int) -> list[dict[str, object]]:
    message = f"too costly: {cost} points, the limit is {limit}"
    code = {"code": "QUERY_TOO_COSTLY", "cost": cost, "limit": limit}
    return [{"message": message, "extensions": code}]


async def test_a_query_that_can_never_fit_is_refused_as_too_costly(session, gql, settings):
    # Given an anonymous caller and a signed-in person (on PostgreSQL, the compiled path's
    # callers), each with nothing spent
    person = await create_person(session)
    await session.commit()

    # When each sends a query costlier than their whole budget
    anonymous = await gql.post(NEVER_FITS)
    signed_in = await gql.post(NEVER_FITS, as_=person)

    # Then each is told it is too costly, not to wait, and nothing is spent
    for response, limit in ((anonymous, 1000), (signed_in, 5000)):
        assert response.status_code == 200
        assert response.json() == {"data": None, "errors": too_costly(COST, limit)}
        assert "retry-after" not in response.headers
        assert response.headers["ratelimit-remaining"] == str(limit)
    assert await buckets(session) == {}


async def test_too_costly_is_a_request_error_in_the_graphql_response_media_type(http):
    response = await http.post(
        "/graphql",
        json={"query": NEVER_FITS},
        headers={"Accept": "application/graphql-response+json"},
    )

    assert response.status_code == 400
    assert response.headers["content-type"] == "application/graphql-response+json"
    assert response.json() == {"errors": too_costly(COST, 1000)}


async def test_the_depth_guard_answers_before_the_price(gql):
    # A query both too deep (17 levels) and too costly is refused for its depth alone
    links = "affiliations { person { affiliations { organization { " * 3
    deep = "{ convenings(first: 500) { edges { node { hosts { " + links + "name" + " }" * 17

    body = await gql(deep)

    assert [e["message"] for e in body["errors"]] == [
        "'anonymous' exceeds maximum operation depth of 12"
    ]

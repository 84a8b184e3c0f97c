"""Q1 on SQLite, the compiled path against the normal one: sequential requests through httpx's
ASGI transport (no server, no network), one process, as an alliance admin.

    .venv/bin/python bench/sqlite_q1.py [--requests 300]

The data is made in a temporary SQLite file, migrated to head: 600 organizations, 2,000
people, 500 convenings with one or two hosts and 20 RSVPs each.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.queries import HUB_Q1
from hub.app import create_app
from hub.infrastructure.config import Settings
from hub.infrastructure.migrate import upgrade_to_head

ORGANIZATIONS, PEOPLE, CONVENINGS, RSVPS_EACH = 600, 2_000, 500, 20
STAMP = "%Y-%m-%d %H:%M:%S.%f"


def _rows(count: int, make: Any) -> Iterator[tuple[Any, ...]]:
    return (make(n) for n in range(1, count + 1))


def fill(path: Path) -> None:
    start = datetime(2026, 1, 5, 17, tzinfo=UTC)
    with sqlite3.connect(path) as db:
        db.executemany(
            "INSERT INTO organizations (id, slug, name, kind, sector, counties, state,"
            " description) VALUES (?, ?, ?, ?, 'COMMUNITY_ORGANIZING', '[]', 'CA', '')",
            _rows(ORGANIZATIONS, lambda o: (o, f"org-{o}", f"Organization {o}", "MEMBER")),
        )
        db.executemany(
            "INSERT INTO people (id, name, email, preferred_language, is_admin)"
            " VALUES (?, ?, ?, 'en', ?)",
            _rows(PEOPLE, lambda p: (p, f"Person {p}", f"person{p}@example.org", p == 1)),
        )

        def convening(c: int) -> tuple[Any, ...]:
            begins = start + timedelta(hours=4 * c)
            ends = begins + timedelta(hours=2)
            return (c, f"Convening {c}", begins.strftime(STAMP), ends.strftime(STAMP))

        db.executemany(
            "INSERT INTO convenings (id, title, kind, description, starts_at, ends_at,"
            " time_zone, languages, visibility, status, going_count, sequence)"
            " VALUES (?, ?, 'TRAINING', '', ?, ?, 'America/Los_Angeles', '[\"en\"]',"
            " 'PUBLIC', 'SCHEDULED', 0, 0)",
            _rows(CONVENINGS, convening),
        )
        hosts = [(c, 1 + c % ORGANIZATIONS) for c in range(1, CONVENINGS + 1)]
        hosts += [(c, 1 + (c + 300) % ORGANIZATIONS) for c in range(3, CONVENINGS + 1, 3)]
        db.executemany(
            "INSERT INTO convening_hosts (convening_id, organization_id) VALUES (?, ?)", hosts
        )
        db.executemany(
            "INSERT INTO rsvps (convening_id, person_id, organization_id, status,"
            " accessibility, accessibility_note, childcare_count, dietary)"
            " VALUES (?, ?, ?, 'GOING', '[]', '', 0, '')",
            (
                (c, 1 + (c * 7 + j * 97) % PEOPLE, 1 + j % ORGANIZATIONS)
                for c in range(1, CONVENINGS + 1)
                for j in range(RSVPS_EACH)
            ),
        )
        db.execute(
            "UPDATE convenings SET going_count ="
            " (SELECT count(*) FROM rsvps WHERE rsvps.convening_id = convenings.id)"
        )


async def requests_per_second(settings: Settings, requests: int) -> tuple[float, bool]:
    """Sequential Q1s per second, and whether the compiled path answered them."""
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        token = app.state.runtime.signer.issue("person:1", 3600)
        headers = {"Authorization": f"Bearer {token}"}
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="https://hub.test") as client:

            async def ask() -> httpx.Response:
                response = await client.post("/graphql", json={"query": HUB_Q1}, headers=headers)
                assert response.status_code == 200, response.text
                assert len(response.json()["data"]["convenings"]["edges"]) == 50
                return response

            for _ in range(20):
                compiled = "server-timing" in (await ask()).headers
            began = time.perf_counter()
            for _ in range(requests):
                await ask()
            return requests / (time.perf_counter() - began), compiled


async def main(requests: int, url: str) -> None:
    base = Settings(
        database_url=url,
        secret_key="bench-secret-" + "x" * 32,
        base_url="http://hub.test",
        email_from="hub@example.org",
        accept_signed_person_tokens=True,
        budget_points=10**9,
        budget_anonymous_points=10**9,
    )
    rates = {}
    for label, on in (("normal", False), ("compiled", True)):
        settings = dataclasses.replace(base, compiled_reads=on)
        rates[label], compiled = await requests_per_second(settings, requests)
        assert compiled == on, f"the {label} run took the other path"
        print(f"{label:>8}: {rates[label]:8.1f} requests/s ({requests} sequential Q1s)")
    print(f"   ratio: {rates['compiled'] / rates['normal']:.1f}x")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    with tempfile.TemporaryDirectory(prefix="hub-bench-sqlite-") as folder:
        path = Path(folder) / "bench.db"
        url = f"sqlite+aiosqlite:///{path}"
        upgrade_to_head(url)  # runs its own event loop: before ours
        fill(path)
        asyncio.run(main(parser.parse_args().requests, url))

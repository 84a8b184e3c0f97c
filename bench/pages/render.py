"""Times two pages through the real app in-process (httpx over ASGI): the convening page of a
convening with 250 RSVPs, and the check-in search at its door. A throwaway SQLite database is
made and filled here; nothing else is needed.

    .venv/bin/python bench/pages/render.py [--requests 200]
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.applications import Starlette

from hub.app import create_app
from hub.infrastructure.config import Settings
from hub.infrastructure.db import create_engine
from hub.infrastructure.models import (
    Affiliation,
    Base,
    Convening,
    ConveningHost,
    Organization,
    OutboxMessage,
    Person,
    Rsvp,
)
from hub.infrastructure.models.base import utcnow
from hub.infrastructure.models.convenings import ConveningKind, RsvpStatus, Visibility
from hub.infrastructure.models.directory import AffiliationRole, OrganizationKind, Sector
from hub.interfaces.graphql.node import to_global_id

RSVPS = 250
ORGANIZATIONS = 50
FIRST_NAMES = ("Ana", "Ben", "Carla", "Diego", "Elena", "Fatima", "Gus", "Hana", "Ivan", "Juana")
CONTACT_EMAIL = "contact@example.org"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


async def fill(session: AsyncSession) -> int:
    """50 organizations, 250 people GOING with needs, one host contact; the convening's id."""
    organizations = [
        Organization(
            slug=f"org-{n}",
            name=f"Organization {n}",
            kind=OrganizationKind.MEMBER,
            sector=Sector.COMMUNITY_ORGANIZING,
            counties=[],
            description="",
        )
        for n in range(ORGANIZATIONS)
    ]
    session.add_all(organizations)
    await session.flush()
    host = organizations[0]
    starts = utcnow().replace(microsecond=0) + timedelta(days=7)
    convening = Convening(
        title="Statewide strategy session",
        kind=ConveningKind.STRATEGY_SESSION,
        description="",
        starts_at=starts,
        ends_at=starts + timedelta(hours=6),
        time_zone="America/Los_Angeles",
        venue_name="Union hall",
        languages=["es"],
        visibility=Visibility.MEMBERS,
        going_count=RSVPS,
        sequence=0,
    )
    session.add(convening)
    await session.flush()
    session.add(ConveningHost(convening_id=convening.id, organization_id=host.id))
    await _people(session, organizations, convening)
    return convening.id


async def _people(
    session: AsyncSession, organizations: list[Organization], convening: Convening
) -> None:
    contact = Person(name="Carla Contact", email=CONTACT_EMAIL)
    session.add(contact)
    await session.flush()
    session.add(
        Affiliation(person_id=contact.id, organization_id=organizations[0].id, role="CONTACT")
    )
    for n in range(RSVPS):
        organization = organizations[n % ORGANIZATIONS]
        person = Person(name=f"{FIRST_NAMES[n % 10]} Person{n}", email=f"p{n}@example.org")
        session.add(person)
        await session.flush()
        session.add(
            Affiliation(
                person_id=person.id,
                organization_id=organization.id,
                role=AffiliationRole.MEMBER,
            )
        )
        session.add(
            Rsvp(
                convening_id=convening.id,
                person_id=person.id,
                organization_id=organization.id,
                status=RsvpStatus.GOING,
                interpretation_language="es" if n % 3 == 0 else None,
                accessibility=[],
                accessibility_note="",
                childcare_count=n % 2,
                dietary="Vegetarian" if n % 4 == 0 else "",
            )
        )
    await session.flush()


async def sign_in(client: httpx.AsyncClient, app: Starlette) -> None:
    """The real way in: ask for a link, take it from the outbox, use it."""
    token = CSRF.search((await client.get("/signin")).text)
    assert token is not None
    asked = await client.post(
        "/signin", data={"email": CONTACT_EMAIL, "csrf_token": token.group(1)}
    )
    assert asked.status_code == 200, asked.status_code
    async with app.state.runtime.sessions() as session:
        link = await session.scalar(
            select(OutboxMessage.payload).where(OutboxMessage.kind == "signin_link")
        )
    secret = str(link["link"]).split("token=")[1]
    form = CSRF.search((await client.get(f"/signin/link?token={secret}")).text)
    assert form is not None
    signed = await client.post("/signin/link", data={"token": secret, "csrf_token": form.group(1)})
    assert signed.status_code == 303, signed.text


async def timed(request: Callable[[], Awaitable[httpx.Response]], count: int) -> list[float]:
    times = []
    for _ in range(count):
        started = time.perf_counter()
        response = await request()
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return times


def summary(name: str, times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    return (
        f"{name:<44} p50 {statistics.median(ordered):6.1f} ms   p95 {p95:6.1f} ms   "
        f"({len(times)} sequential requests)"
    )


async def measure(directory: Path, count: int) -> list[str]:
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{directory / 'pages.db'}",
        secret_key="bench-" + "s" * 40,
        base_url="http://bench.test",
    )
    engine = create_engine(settings.database_url)
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)
    await engine.dispose()
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        async with app.state.runtime.sessions() as session:
            convening_id = await fill(session)
            await session.commit()
        url = f"/convenings/{to_global_id('Convening', convening_id)}"
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench.test") as client:
            await sign_in(client, app)
            page = await client.get(url)
            assert "Statewide strategy session" in page.text and "Ana Person0" in page.text
            search = await client.get(f"{url}/checkin?q=car")
            assert search.text.count("Check in Carla") == 25, search.text.count("Check in Carla")
            convening = await timed(lambda: client.get(url), count)
            checkin = await timed(lambda: client.get(f"{url}/checkin?q=car"), count)
    return [
        summary(f"convening page ({RSVPS} RSVPs, host contact)", convening),
        summary("check-in search (q=car, 25 of 250 match)", checkin),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hub-bench-pages-") as directory:
        lines = asyncio.run(measure(Path(directory), arguments.requests))
    print("\n".join(lines))


if __name__ == "__main__":
    main()

"""Times the people import with a 5,000-row file from 44 organizations, on SQLite and on
PostgreSQL, through the real app in-process (httpx over ASGI): the API's previewPeopleImport
and importPeople, a second import of the same file (every row unchanged), and the page's
upload-and-preview and import (/manage/import, signed in by the email link as an admin).
Each preview starts with no address checked before (the import remembers what its preview
checked, as it does in use).

    .venv/bin/python bench/import_people.py [--rows 5000] [--repeat 3] [--no-postgresql]

SQLite is a throwaway file; PostgreSQL a throwaway database on 127.0.0.1:5432 (user postgres,
trust), dropped afterwards. Each repeat starts from the same directory: the imported people are
deleted between repeats. The figures are the medians over the repeats.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import dataclasses
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
VENV = ROOT / ".venv"
_PYTHON = VENV / "bin" / "python"
if __name__ == "__main__" and Path(sys.prefix).resolve() != VENV.resolve() and _PYTHON.exists():
    os.execv(_PYTHON, [str(_PYTHON), __file__, *sys.argv[1:]])
sys.path.insert(0, str(ROOT))  # the test suite's spreadsheets and scratch databases

import httpx  # noqa: E402
from sqlalchemy import delete, select  # noqa: E402
from starlette.applications import Starlette  # noqa: E402

from hub.app import create_app  # noqa: E402
from hub.domains.directory import importing  # noqa: E402
from hub.infrastructure.config import Settings  # noqa: E402
from hub.infrastructure.db import create_engine  # noqa: E402
from hub.infrastructure.models import Affiliation, AuditEvent, Base, OutboxMessage, Person  # noqa: E402
from tests.directory.people_files import (  # noqa: E402
    create_organizations,
    csv_text,
    people_rows,
)
from tests.factories import create_admin  # noqa: E402
from tests.infrastructure.postgres import scratch_database  # noqa: E402

POSTGRESQL_SERVER = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
ADMIN_EMAIL = "bench-admin@example.org"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
HIDDEN = re.compile(r'name="(content|previewToken)" value="([^"]*)"')
PREVIEW = """mutation ($csv: String!) { previewPeopleImport(input: {csv: $csv}) {
  counts { rows create update unchanged error } previewToken errors { code } } }"""
IMPORT = """mutation ($csv: String!) { importPeople(input: {csv: $csv}) {
  counts { rows create update unchanged error } errors { code } } }"""


@dataclasses.dataclass
class Timings:
    steps: dict[str, list[float]] = dataclasses.field(default_factory=dict)

    def add(self, step: str, seconds: float) -> None:
        self.steps.setdefault(step, []).append(seconds)


async def timed(action: Callable[[], Awaitable[Any]]) -> tuple[float, Any]:
    started = time.perf_counter()
    answer = await action()
    return time.perf_counter() - started, answer


def counts_of(response: httpx.Response, field: str) -> dict[str, int]:
    assert response.status_code == 200, response.text[:500]
    body = response.json()
    assert "errors" not in body, body["errors"]
    payload = body["data"][field]
    assert payload["errors"] == [], payload["errors"]
    return payload["counts"]  # type: ignore[no-any-return]


async def sign_in(client: httpx.AsyncClient, app: Starlette) -> None:
    """The real way in: ask for a link, take it from the outbox, use it."""
    token = CSRF.search((await client.get("/signin")).text)
    assert token is not None
    await client.post("/signin", data={"email": ADMIN_EMAIL, "csrf_token": token.group(1)})
    async with app.state.runtime.sessions() as session:
        link = await session.scalar(
            select(OutboxMessage.payload)
            .where(OutboxMessage.kind == "signin_link")
            .order_by(OutboxMessage.id.desc())
        )
    secret = str(link["link"]).split("token=")[1]
    form = CSRF.search((await client.get(f"/signin/link?token={secret}")).text)
    assert form is not None
    signed = await client.post("/signin/link", data={"token": secret, "csrf_token": form.group(1)})
    assert signed.status_code == 303, signed.text


async def forget_the_import(app: Starlette) -> None:
    async with app.state.runtime.sessions() as session:
        await session.execute(delete(Affiliation))
        await session.execute(delete(AuditEvent))
        await session.execute(delete(Person).where(Person.email != ADMIN_EMAIL))
        await session.commit()


async def through_the_api(
    client: httpx.AsyncClient, token: str, csv: str, rows: int, timings: Timings
) -> None:
    headers = {"Authorization": f"Bearer {token}"}

    def post(query: str) -> Awaitable[httpx.Response]:
        return client.post(
            "/graphql", json={"query": query, "variables": {"csv": csv}}, headers=headers
        )

    seconds, answer = await timed(lambda: post(PREVIEW))
    assert counts_of(answer, "previewPeopleImport")["create"] == rows
    timings.add("API preview", seconds)
    seconds, answer = await timed(lambda: post(IMPORT))
    assert counts_of(answer, "importPeople")["create"] == rows
    timings.add("API import", seconds)
    seconds, answer = await timed(lambda: post(IMPORT))
    assert counts_of(answer, "importPeople")["unchanged"] == rows
    timings.add("API import again (all unchanged)", seconds)


async def through_the_page(
    client: httpx.AsyncClient, csv: str, rows: int, timings: Timings
) -> None:
    form = CSRF.search((await client.get("/manage/import")).text)
    assert form is not None
    files = {"file": ("people.csv", csv.encode(), "text/csv")}
    seconds, preview = await timed(
        lambda: client.post(
            "/manage/import/preview", data={"csrf_token": form.group(1)}, files=files
        )
    )
    assert preview.status_code == 200 and f"Import {rows} valid rows" in preview.text
    timings.add("page upload + preview", seconds)
    fields = dict(HIDDEN.findall(preview.text)) | {"csrf_token": form.group(1)}
    assert base64.b64decode(fields["content"]).decode() == csv
    seconds, imported = await timed(
        lambda: client.post("/manage/import", files={k: (None, v) for k, v in fields.items()})
    )
    assert imported.status_code == 200 and f'data-count="create">{rows}<' in imported.text
    timings.add("page import", seconds)


async def measure(database_url: str, rows: int, repeat: int) -> Timings:
    settings = Settings(
        database_url=database_url,
        secret_key="bench-" + "s" * 40,
        base_url="http://bench.test",
        budget_points=10**9,
        budget_anonymous_points=10**9,
        accept_signed_person_tokens=True,
    )
    engine = create_engine(database_url)
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)
    await engine.dispose()
    app = create_app(settings)
    timings = Timings()
    async with app.router.lifespan_context(app):
        async with app.state.runtime.sessions() as session:
            organizations = await create_organizations(session)
            admin = await create_admin(session, email=ADMIN_EMAIL)
            await session.commit()
            names, admin_id = [o.name for o in organizations], admin.id
        csv = csv_text(people_rows(rows, names))
        token = app.state.runtime.signer.issue(f"person:{admin_id}", 3600)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://bench.test", timeout=300
        ) as client:
            await sign_in(client, app)
            for _ in range(repeat):
                # Each preview reads addresses it never saw; its import, those its preview read.
                importing._valid_email.cache_clear()
                await through_the_api(client, token, csv, rows, timings)
                await forget_the_import(app)
                importing._valid_email.cache_clear()
                await through_the_page(client, csv, rows, timings)
                await forget_the_import(app)
    print(f"  ({len(csv.encode()) / 1024:.0f} KB, {rows} rows from {len(names)} organizations)")
    return timings


def table(database: str, rows: int, timings: Timings) -> list[str]:
    lines = []
    for step, seconds in timings.steps.items():
        median = statistics.median(seconds)
        lines.append(f"| {database} | {step} | {median:.2f} | {rows / median:,.0f} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-postgresql", action="store_true")
    arguments = parser.parse_args()
    lines = ["| database | step | seconds | rows/s |", "|---|---|---|---|"]
    with ExitStack() as stack:
        directory = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="hub-import-")))
        databases = {"SQLite": f"sqlite+aiosqlite:///{directory / 'import.db'}"}
        if not arguments.no_postgresql:
            databases["PostgreSQL"] = stack.enter_context(
                scratch_database(POSTGRESQL_SERVER, prefix="hub_bench_import")
            )
        for name, url in databases.items():
            print(f"{name}: {arguments.repeat} repeats")
            timings = asyncio.run(measure(url, arguments.rows, arguments.repeat))
            lines += table(name, arguments.rows, timings)
    print("\n".join(lines))


if __name__ == "__main__":
    main()

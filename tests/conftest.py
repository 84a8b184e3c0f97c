"""The test harness: a real database (SQLite by default, PostgreSQL when
HUB_TEST_DATABASE_URL names one), the real ASGI app, and a real HTTP client."""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.applications import Starlette

from hub.app import create_app
from hub.infrastructure.config import Settings
from hub.infrastructure.db import create_engine
from hub.infrastructure.migrate import alembic_config
from hub.infrastructure.models import Base
from hub.interfaces.runtime import Runtime
from tests.graphql_client import GraphQLClient
from tests.infrastructure.browser import BROWSERS_IN_THE_SQLITE_PASS
from tests.infrastructure.pgbouncer import app_database
from tests.infrastructure.postgres import scratch_database
from tests.infrastructure.statements import recorded_statements

TEST_SECRET = "test-secret-" + "x" * 40


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test that never opens the database under test (a built wheel, `hub serve --demo` on
    its own SQLite file, the harness itself) proves nothing more the second time: the
    PostgreSQL pass leaves it to the SQLite pass."""
    if not os.environ.get("HUB_TEST_DATABASE_URL", "").startswith("postgresql"):
        return
    once = pytest.mark.skip(reason="database-independent: run in the SQLite pass")
    browsers_elsewhere = os.environ.get(BROWSERS_IN_THE_SQLITE_PASS) == "1"
    in_sqlite_pass = pytest.mark.skip(reason="a browser test: run in the SQLite pass")
    for item in items:
        if item.get_closest_marker("database_independent"):
            item.add_marker(once)
        elif browsers_elsewhere and "chromium" in getattr(item, "fixturenames", ()):
            item.add_marker(in_sqlite_pass)


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    """A database made for this run, never an existing one: on the PostgreSQL server that
    HUB_TEST_DATABASE_URL names, a new uniquely named database dropped afterwards; otherwise an
    SQLite file in a temporary folder."""
    server = os.environ.get("HUB_TEST_DATABASE_URL", "")
    if server.startswith("postgresql"):
        with scratch_database(server) as url:
            asyncio.run(_create_schema(url))
            yield url
        return
    with tempfile.TemporaryDirectory(prefix="hub-tests-") as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'test.db'}"
        asyncio.run(_create_schema(url))
        yield url


async def _create_schema(url: str) -> None:
    """The models' tables, in a new empty database, stamped at migration head as `hub serve`
    and `hub worker` require. (tests/test_migrations.py proves that the migrations build the
    very same schema.)"""
    engine = create_engine(url)
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)
        await connection.run_sync(_stamp_head)
    await engine.dispose()


def _stamp_head(connection: Connection) -> None:
    scripts = ScriptDirectory.from_config(alembic_config(""))
    MigrationContext.configure(connection).stamp(scripts, "head")


@pytest.fixture(scope="session")
def settings(database_url: str) -> Iterator[Settings]:
    with app_database(database_url) as (app_url, pooler):
        yield Settings(
            database_url=app_url,
            database_pooler=pooler,
            secret_key=TEST_SECRET,
            base_url="http://hub.test",
            email_from="hub@example.org",
            # The suite's fixtures sign people's tokens directly (tests/graphql_client.py); the
            # credentials tests check that a hub without this setting refuses them.
            accept_signed_person_tokens=True,
        )


@pytest.fixture(scope="session")
async def app(settings: Settings) -> AsyncIterator[Starlette]:
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture(scope="session")
def runtime(app: Starlette) -> Runtime:
    return app.state.runtime  # type: ignore[no-any-return]


@pytest.fixture
def _runtime_if_used(request: pytest.FixtureRequest) -> Runtime | None:
    """The runtime, when the test uses the database. Asked for from a plain fixture: the first
    test of a process may be the one that starts the app, and an async fixture cannot start
    another async fixture from inside its running event loop."""
    if "database_url" not in request.fixturenames:
        return None
    return request.getfixturevalue("runtime")  # type: ignore[no-any-return]


@pytest.fixture(autouse=True)
async def _empty_tables(_runtime_if_used: Runtime | None) -> AsyncIterator[None]:
    """Each test starts on empty tables; the schema itself stays at migration head."""
    runtime = _runtime_if_used
    yield
    if runtime is not None:
        await empty_tables(runtime)


async def empty_tables(runtime: Runtime) -> None:
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    # DELETE beats TRUNCATE here: the tables hold a few rows, and TRUNCATE's exclusive locks
    # and file work cost tens of milliseconds a test on PostgreSQL.
    async with runtime.engine.begin() as connection:
        for table in tables:
            await connection.execute(text(f"DELETE FROM {table}"))


@pytest.fixture
async def session(runtime: Runtime) -> AsyncIterator[AsyncSession]:
    """A session for arranging data and checking results; commit to make rows visible."""
    async with runtime.sessions() as opened:
        yield opened


@pytest.fixture
async def http(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as client:
        yield client


@pytest.fixture
def gql(http: httpx.AsyncClient, runtime: Runtime) -> GraphQLClient:
    return GraphQLClient(http, runtime)


class StatementCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, statement: str) -> None:
        self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def statements(runtime: Runtime) -> Iterator[StatementCounter]:
    counter = StatementCounter()
    with recorded_statements(runtime.engine, counter):
        yield counter


@pytest.fixture
def postgresql_only(dialect: str) -> None:
    """For what exists only on PostgreSQL: server connections that can be lost."""
    if dialect != "postgresql":
        pytest.skip("PostgreSQL only")


@pytest.fixture(scope="session")
def dialect(database_url: str) -> str:
    return "postgresql" if database_url.startswith("postgresql") else "sqlite"

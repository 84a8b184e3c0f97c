"""`GET /healthz` says the process is alive, whatever its database; `GET /readyz` says whether
it can serve: its database answering, at this code's schema."""

from __future__ import annotations

import httpx

from hub.app import create_app
from hub.infrastructure.config import Settings


async def test_alive_and_ready_when_the_database_answers_at_head(http):
    alive = await http.get("/healthz")
    ready = await http.get("/readyz")

    assert (alive.status_code, alive.json()) == (200, {"status": "ok"})
    assert (ready.status_code, ready.json()) == (
        200,
        {"status": "ok", "database": "ok", "schema": "current"},
    )


async def test_alive_but_not_ready_when_the_database_does_not_answer(settings, tmp_path):
    app = create_app(Settings(database_url=settings.database_url, secret_key=settings.secret_key))
    async with app.router.lifespan_context(app):
        await app.state.runtime.engine.dispose()
        app.state.runtime.engine = _unreachable_engine(settings, tmp_path)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as client:
            alive = await client.get("/healthz")
            ready = await client.get("/readyz")
        await app.state.runtime.engine.dispose()

    assert (alive.status_code, alive.json()) == (200, {"status": "ok"})
    assert ready.status_code == 503
    assert ready.json() == {
        "status": "unavailable",
        "database": "unreachable",
        "cause": "the database does not answer",
    }


def _unreachable_engine(settings, tmp_path):
    from hub.infrastructure.db import create_engine

    if settings.is_sqlite:
        return create_engine(f"sqlite+aiosqlite:///{tmp_path}/missing-dir/nope.db")
    return create_engine("postgresql+asyncpg://postgres@127.0.0.1:1/none")

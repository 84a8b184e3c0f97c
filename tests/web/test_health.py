"""`GET /healthz` says whether the database answers."""

from __future__ import annotations

import httpx

from hub.app import create_app
from hub.config import Settings


async def test_healthy_when_the_database_answers(http):
    response = await http.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


async def test_unavailable_when_the_database_does_not(settings, tmp_path):
    app = create_app(Settings(database_url=settings.database_url, secret_key=settings.secret_key))
    async with app.router.lifespan_context(app):
        await app.state.runtime.engine.dispose()
        app.state.runtime.engine = _unreachable_engine(settings, tmp_path)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as client:
            response = await client.get("/healthz")
        await app.state.runtime.engine.dispose()

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable"}


def _unreachable_engine(settings, tmp_path):
    from hub.db import create_engine

    if settings.is_sqlite:
        return create_engine(f"sqlite+aiosqlite:///{tmp_path}/missing-dir/nope.db")
    return create_engine("postgresql+asyncpg://postgres@127.0.0.1:1/none")

"""`GET /healthz`: this process is alive (it asks nothing of the database, so a database
outage never gets every hub process restarted). `GET /readyz`: this process can serve, its
database answering at the schema this code expects; a load balancer sends it requests only
then."""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request
from starlette.responses import JSONResponse

from hub.infrastructure.migrate import schema_in

log = logging.getLogger(__name__)


async def healthz(_request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> JSONResponse:
    try:
        schema = await schema_in(request.app.state.runtime.engine)
    except (SQLAlchemyError, OSError):
        log.exception("readiness check: database unreachable")
        return _unavailable("unreachable", "the database does not answer")
    if not schema.state.serves:
        return _unavailable("ok", f"the schema is {schema.state}: run `hub migrate`", schema.state)
    return JSONResponse({"status": "ok", "database": "ok", "schema": str(schema.state)})


def _unavailable(database: str, cause: str, schema: str | None = None) -> JSONResponse:
    body = {"status": "unavailable", "database": database, "cause": cause}
    if schema is not None:
        body["schema"] = schema
    return JSONResponse(body, status_code=503)

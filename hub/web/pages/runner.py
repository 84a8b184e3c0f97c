"""Runs a page's GraphQL document in-process: the same schema, context and permissions as
`POST /graphql`, with the viewer taken from the page session instead of a bearer token."""

from __future__ import annotations

from typing import Any

from strawberry.types import ExecutionResult

from hub.auth.viewer import ANONYMOUS, Viewer, load_person_viewer
from hub.graphql.context import Context
from hub.runtime import Runtime
from hub.web.pages.documents import document


class PageRefused(Exception):
    """The API refused the page's document: the code says why (UNAUTHENTICATED, FORBIDDEN,
    NOT_FOUND, BAD_USER_INPUT or INTERNAL_SERVER_ERROR)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


async def run_document(
    runtime: Runtime, person_id: int | None, name: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    async with runtime.sessions() as session:
        viewer = await _viewer(session, person_id)
        context = Context(session=session, viewer=viewer, settings=runtime.settings)
        result = await runtime.schema.execute(
            document(name), variable_values=variables or {}, context_value=context
        )
    return _data_of(result)


async def _viewer(session: Any, person_id: int | None) -> Viewer:
    if person_id is None:
        return ANONYMOUS
    return await load_person_viewer(session, person_id) or ANONYMOUS


def _data_of(result: ExecutionResult) -> dict[str, Any]:
    if result.errors:
        extensions = result.errors[0].extensions or {}
        raise PageRefused(str(extensions.get("code", "INTERNAL_SERVER_ERROR")))
    assert result.data is not None
    return result.data

"""Runs a page's GraphQL document in-process: the same schema, context and permissions as
`POST /graphql`, with the viewer taken from the page session instead of a bearer token."""

from __future__ import annotations

from typing import Any

from strawberry.types import ExecutionResult

from hub.access.auth.viewer import ANONYMOUS, Viewer, load_person_viewer
from hub.interfaces.graphql.context import Context
from hub.interfaces.graphql.node import to_global_id
from hub.interfaces.runtime import Runtime
from hub.interfaces.web.pages.documents import document


class PageRefused(Exception):
    """The API refused the page's document: the code says why (UNAUTHENTICATED, FORBIDDEN,
    NOT_FOUND, BAD_USER_INPUT or INTERNAL_SERVER_ERROR)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


async def run_document(
    runtime: Runtime, person_id: int | None, name: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    text = document(name)
    async with runtime.sessions() as session:
        viewer = await _viewer(session, person_id)
        context = Context(session=session, viewer=viewer, settings=runtime.settings)
        given = {**(variables or {}), **_from_the_viewer(text, viewer)}
        result = await runtime.schema.execute(text, variable_values=given, context_value=context)
    return _data_of(result)


# Variables a page's document may declare and the runner fills from the viewer it loaded, so
# that a page asks for "my delegation" in one document rather than first asking who it is.
VIEWER_VARIABLES = {
    "myContactOrganizations": lambda viewer: [
        to_global_id("Organization", pk) for pk in sorted(viewer.contact_org_ids)
    ],
}


def _from_the_viewer(text: str, viewer: Viewer) -> dict[str, Any]:
    return {name: fill(viewer) for name, fill in VIEWER_VARIABLES.items() if f"${name}" in text}


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

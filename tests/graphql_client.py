"""Sending GraphQL documents to the app over HTTP, as any client would."""

from __future__ import annotations

from typing import Any

import httpx

from hub.infrastructure.models import Person
from hub.interfaces.runtime import Runtime
from tests.infrastructure.statements import driver_queries_logged


class GraphQLClient:
    def __init__(self, http: httpx.AsyncClient, runtime: Runtime) -> None:
        self.http = http
        self.runtime = runtime

    def token_for(self, person: Person | int, lifetime_seconds: int = 3600) -> str:
        person_id = person if isinstance(person, int) else person.id
        return self.runtime.signer.issue(f"person:{person_id}", lifetime_seconds)

    async def post(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        as_: Person | None = None,
        token: str | None = None,
    ) -> httpx.Response:
        headers = {}
        bearer = token or (self.token_for(as_) if as_ is not None else None)
        if bearer:
            headers["Authorization"] = f"Bearer {bearer}"
        body: dict[str, Any] = {"query": query}
        if variables is not None:
            body["variables"] = variables
        response = await self.http.post("/graphql", json=body, headers=headers)
        await driver_queries_logged()
        return response

    async def __call__(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        as_: Person | None = None,
        token: str | None = None,
    ) -> dict[str, Any]:
        """The whole response body; asserts the transport answered 200 with JSON."""
        response = await self.post(query, variables, as_=as_, token=token)
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]

    async def data(
        self, query: str, variables: dict[str, Any] | None = None, *, as_: Person | None = None
    ) -> dict[str, Any]:
        """The `data` of a response that must carry no errors."""
        body = await self(query, variables, as_=as_)
        assert "errors" not in body, body["errors"]
        return body["data"]  # type: ignore[no-any-return]

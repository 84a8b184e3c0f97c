"""What every resolver gets: the request's session, the viewer, and per-request loaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response

from hub.access.auth.viewer import Viewer
from hub.infrastructure.config import Settings

LoaderT = TypeVar("LoaderT")


@dataclass
class Context:
    session: AsyncSession
    viewer: Viewer
    settings: Settings
    # The session budgets are charged on: the primary's, when `session` reads from a replica
    # (hub/infrastructure/db_routing.py); `session` itself otherwise.
    ledger: AsyncSession | None = None
    request: Request | None = None
    response: Response | None = None
    # Set by a mutation whose refusal must keep what it wrote (a voting window closed as it
    # was voted in): its savepoint is then released although its payload reports errors.
    keep_refused_writes: bool = False
    # Whether the request named its operation (set by the HTTP view; see OneOperationOrAName).
    operation_name_given: bool = True
    _loaders: dict[type, Any] = field(default_factory=dict)

    @property
    def budget_session(self) -> AsyncSession:
        return self.session if self.ledger is None else self.ledger

    def loader(self, loader_class: type[LoaderT]) -> LoaderT:
        """One instance of each loader per request, so batching and caching span the query."""
        if loader_class not in self._loaders:
            self._loaders[loader_class] = loader_class(self)  # type: ignore[call-arg]
        return self._loaders[loader_class]  # type: ignore[no-any-return]

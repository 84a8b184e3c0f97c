"""GraphQL requests by operation name and read path.

The name labels a time series, and callers choose it: a name is a GraphQL name or nothing, and
a process keeps at most MAX_OPERATION_NAMES distinct ones (later ones count as "other"), so no
caller can grow Prometheus's series without bound."""

from __future__ import annotations

import threading
import time
from typing import Literal

from graphql import GraphQLError
from graphql.language import Lexer, Source, TokenKind

from hub.infrastructure.observability.metrics import GRAPHQL_LATENCY, GRAPHQL_REQUESTS

ReadPath = Literal["compiled", "normal"]
MAX_OPERATION_NAMES = 200
OPERATION_KEYWORDS = frozenset({"query", "mutation", "subscription"})
NAME_LIMIT = 100

_names_seen: set[str] = set()
_names_lock = threading.Lock()


def graphql_answered(operation: str, read_path: ReadPath, database: str, started: float) -> None:
    """Counts a request answered on `read_path` from `database` (primary, replica), begun at
    perf_counter() `started`."""
    labels = {"operation": operation, "read_path": read_path, "database": database}
    GRAPHQL_REQUESTS.labels(**labels).inc()
    GRAPHQL_LATENCY.labels(**labels).observe(time.perf_counter() - started)


def operation_label(query: object, operation_name: object) -> str:
    """The operation the client named, else the name of the document's first operation, else
    "anonymous"; "other" once the process has seen MAX_OPERATION_NAMES names."""
    name = operation_name if isinstance(operation_name, str) else _first_operation_name(query)
    if not name or not name.isidentifier() or len(name) > NAME_LIMIT:
        return "anonymous"
    with _names_lock:
        if name not in _names_seen:
            if len(_names_seen) >= MAX_OPERATION_NAMES:
                return "other"
            _names_seen.add(name)
    return name


def _first_operation_name(query: object) -> str | None:
    """`query Name …` at the document's start: the two first tokens, nothing parsed."""
    if not isinstance(query, str):
        return None
    lexer = Lexer(Source(query))
    try:
        keyword = lexer.advance()
        if keyword.kind != TokenKind.NAME or keyword.value not in OPERATION_KEYWORDS:
            return None
        name = lexer.advance()
    except GraphQLError:
        return None
    return name.value if name.kind == TokenKind.NAME else None

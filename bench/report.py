"""The one table the bench prints, as Markdown (which also reads well in a terminal)."""

from __future__ import annotations

from dataclasses import dataclass

from load import LoadResult
from statement_counter import Counts

POSTGRAPHILE_LABEL = "PostGraphile 5"
COLUMNS = [
    "server",
    "query",
    "path",
    "req/s",
    "p50 ms",
    "p99 ms",
    "errors",
    "SQL/req",
    "tx+ping/req",
    "peak RSS MB",
    "Python µs/req",
    "req/s / PostGraphile",
]


@dataclass(frozen=True)
class Row:
    server: str
    query: str
    load: LoadResult
    statements: Counts | None  # None: not counted for this server
    counted_requests: int
    peak_rss_mb: float
    answers_match: bool
    python_us: float | None = None  # None: the server does not report it
    path: str = "-"  # the hub's read path that answered: compiled or normal


def render(rows: list[Row]) -> str:
    baseline = {row.query: row.load.requests_per_second for row in rows if _is_baseline(row)}
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for row in rows:
        lines.append("| " + " | ".join(_cells(row, baseline.get(row.query))) + " |")
    return "\n".join(lines)


def _is_baseline(row: Row) -> bool:
    return row.server == POSTGRAPHILE_LABEL


def _cells(row: Row, baseline_rps: float | None) -> list[str]:
    load = row.load
    return [
        row.server,
        row.query if row.answers_match else f"{row.query} (answer differs!)",
        row.path,
        f"{load.requests_per_second:,.1f}",
        _milliseconds(load, load.p50_us),
        _milliseconds(load, load.p99_us),
        _errors(load),
        _per_request(row, "statements"),
        _per_request(row, "overhead"),
        f"{row.peak_rss_mb:,.0f}",
        "-" if row.python_us is None else f"{row.python_us:,.0f}",
        _ratio(row, baseline_rps),
    ]


def _milliseconds(load: LoadResult, microseconds: int) -> str:
    return f"{microseconds / 1000:,.1f}" if load.requests else "none done"


def _errors(load: LoadResult) -> str:
    if not load.errors:
        return "0"
    parts = [("non-2xx", load.non_2xx), ("timeout", load.timeouts), ("socket", load.socket_errors)]
    return ", ".join(f"{n} {name}" for name, n in parts if n)


def _per_request(row: Row, what: str) -> str:
    if row.statements is None or not row.counted_requests:
        return "-"
    return f"{getattr(row.statements, what) / row.counted_requests:g}"


def _ratio(row: Row, baseline_rps: float | None) -> str:
    if _is_baseline(row) or not baseline_rps:
        return "-"
    return f"{row.load.requests_per_second / baseline_rps:.2f}x"

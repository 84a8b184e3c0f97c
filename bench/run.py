"""The benchmark: the hub against PostGraphile 5 on the same PostgreSQL, in one command.

    python3 bench/run.py [--quick] [--duration S] [--warmup S] [--fresh] [--no-postgraphile]
                         [--shapes Q1 Q4 ...] [--only TEXT]

See bench/README.md for what it measures and how to read the table. Every load goes to
127.0.0.1, every loop is bounded, and every server it starts is stopped on the way out,
also on Ctrl-C and on errors.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
VENV = ROOT / ".venv"


def _in_project_venv() -> bool:
    return Path(sys.prefix).resolve() == VENV.resolve()


if __name__ == "__main__" and not _in_project_venv() and (VENV / "bin" / "python").exists():
    # The bench imports the hub's models and asyncpg: run it with the project's interpreter.
    os.execv(VENV / "bin" / "python", [str(VENV / "bin" / "python"), __file__, *sys.argv[1:]])

import dataset  # noqa: E402
import load  # noqa: E402
import tools  # noqa: E402
from queries import (  # noqa: E402
    PG_Q6_CURSORS,
    SHAPES,
    Query,
    count,
    postgraphile_sync_cursor,
    with_postgraphile_cursor,
)
from report import POSTGRAPHILE_LABEL, Row, render  # noqa: E402
from servers import (  # noqa: E402
    MemorySampler,
    RunningServer,
    ServerSpec,
    post,
    python_microseconds,
    wait_until_idle,
)
from statement_counter import Counts, StatementCounter  # noqa: E402

DATABASE = "hub_bench"
HUB_PORT, POSTGRAPHILE_PORT, COUNTER_PORT = 18401, 18402, 18403
SECRET_KEY = "bench-only-secret-key-not-for-production-0123456789"
# Budgets would throttle the bench; the bucket's points column is a 32-bit integer.
BUDGET_POINTS = str(2_000_000_000)
COUNTED_REQUESTS = 10  # sequential requests per query while statements are counted
IDLE_TIMEOUT_SECONDS = 300  # at most, for a server to finish what wrk left in flight
RESULTS_DIR = BENCH_DIR / "results"
POSTGRAPHILE_CONFIG = BENCH_DIR / "postgraphile.config.mjs"
LOGS_DIR = RESULTS_DIR / "logs"


def main() -> int:
    options = _parse_options()
    signal.signal(signal.SIGTERM, _interrupt)  # so that `finally` stops the servers
    RESULTS_DIR.mkdir(exist_ok=True)
    LOGS_DIR.mkdir(exist_ok=True)
    notes: list[str] = []
    if problem := tools.ensure_wrk():
        print(f"Cannot run: {problem}")
        return 2
    postgraphile_problem = "skipped (--no-postgraphile)" if not options.postgraphile else None
    postgraphile_problem = postgraphile_problem or tools.ensure_postgraphile()
    if postgraphile_problem:
        notes.append(f"PostGraphile 5 not measured: {postgraphile_problem}.")
    _refuse_busy_ports()
    notes.append(_machine_load())
    started = time.monotonic()
    outcome = dataset.prepare(DATABASE, fresh=options.fresh)
    print(f"Data: {outcome} ({time.monotonic() - started:.0f}s)")
    specs = _server_specs(_mint_token(), with_postgraphile=postgraphile_problem is None)
    if options.only:
        specs = [spec for spec in specs if any(text in spec.label for text in options.only)]
    rows = _measure_all(specs, options, notes)
    _publish(rows, notes, options)
    return 0


def _parse_options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="The hub against PostGraphile 5, at c=32.")
    parser.add_argument("--duration", type=int, default=30, help="measured seconds per query")
    parser.add_argument("--warmup", type=int, default=10, help="warm-up seconds per query")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 2 s + 5 s per query")
    parser.add_argument("--fresh", action="store_true", help="rebuild the data set")
    parser.add_argument("--no-postgraphile", dest="postgraphile", action="store_false")
    parser.add_argument(
        "--only",
        action="append",
        metavar="TEXT",
        help="measure only the servers whose label contains TEXT (repeatable), e.g. "
        "--only PostGraphile --only '1 worker compiled'",
    )
    parser.add_argument(
        "--shapes",
        nargs="+",
        choices=list(SHAPES),
        default=list(SHAPES),
        metavar="Q",
        help=f"the query shapes to measure, of {' '.join(SHAPES)} (default: all)",
    )
    parser.add_argument(
        "--connections",
        type=int,
        default=load.CONCURRENCY,
        metavar="N",
        help=f"wrk's open connections (default {load.CONCURRENCY}); fewer keep a shared, loaded "
        "machine from timing out the slow shapes",
    )
    options = parser.parse_args()
    load.CONCURRENCY = options.connections  # wrk_counts reads it on every run
    options.queries = [SHAPES[name] for name in SHAPES if name in options.shapes]
    if options.quick:
        options.duration, options.warmup = 5, 2
    return options


def _interrupt(signal_number: int, _frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signal_number}")


def _machine_load() -> str:
    one_minute = os.getloadavg()[0]
    note = f"Load average when the run began: {one_minute:.1f} on {os.cpu_count()} cores"
    if one_minute > 0.5:
        return note + ": other work was running, so these numbers understate every server."
    return note + "."


def _refuse_busy_ports() -> None:
    for port in (HUB_PORT, POSTGRAPHILE_PORT, COUNTER_PORT):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                raise SystemExit(f"Port {port} is in use: stop what listens there first.")


def _hub_env(database_port: int = 5432, compiled: bool = True) -> dict[str, str]:
    url = f"postgresql+asyncpg://postgres@127.0.0.1:{database_port}/{DATABASE}"
    return {
        **os.environ,
        "HUB_DATABASE_URL": url,
        "HUB_SECRET_KEY": SECRET_KEY,
        "HUB_BUDGET_POINTS": BUDGET_POINTS,
        "HUB_BUDGET_ANONYMOUS_POINTS": BUDGET_POINTS,
        "HUB_COMPILED_READS": "1" if compiled else "0",
    }


def _mint_token() -> str:
    command = [str(VENV / "bin" / "hub"), "token", dataset.ADMIN_EMAIL, "--days", "2"]
    minted = subprocess.run(
        command, env=_hub_env(), cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    return minted.stdout.strip().splitlines()[-1]


def _server_specs(token: str, *, with_postgraphile: bool) -> list[ServerSpec]:
    specs = [_postgraphile_spec()] if with_postgraphile else []
    for workers in (1, 2):
        for compiled in (False, True):
            specs.append(_hub_spec(token, workers, compiled))
    return specs


def _hub_spec(token: str, workers: int, compiled: bool) -> ServerSpec:
    path = "compiled" if compiled else "normal"
    command = [str(VENV / "bin" / "uvicorn"), "hub.app:create_app", "--factory"]
    command += ["--host", "127.0.0.1", "--port", str(HUB_PORT), "--workers", str(workers)]
    command += ["--no-access-log", "--log-level", "warning"]
    return ServerSpec(
        label=f"hub {workers} worker{'s' if workers > 1 else ''} {path}",
        kind="hub",
        command=command,
        env=_hub_env(compiled=compiled),
        port=HUB_PORT,
        headers={"Authorization": f"Bearer {token}"},
    )


def _postgraphile_spec() -> ServerSpec:
    return ServerSpec(
        label=POSTGRAPHILE_LABEL,
        kind="postgraphile",
        command=[
            str(tools.NODE),
            str(tools.POSTGRAPHILE_CLI),
            # The amber preset, ordering by unindexed columns allowed (see the file).
            *("-C", str(POSTGRAPHILE_CONFIG), "-s", "public"),
            *("-c", f"postgres://postgres@127.0.0.1:5432/{DATABASE}"),
            *("-n", "127.0.0.1", "-p", str(POSTGRAPHILE_PORT)),
        ],
        env={**os.environ, "GRAPHILE_ENV": "production", "NODE_ENV": "production"},
        port=POSTGRAPHILE_PORT,
    )


def _through_counter(spec: ServerSpec) -> ServerSpec:
    """The same server, reaching PostgreSQL through the statement counter."""
    direct, counted = "@127.0.0.1:5432/", f"@127.0.0.1:{COUNTER_PORT}/"
    command = [part.replace(direct, counted) for part in spec.command]
    env = {name: value.replace(direct, counted) for name, value in spec.env.items()}
    return ServerSpec(spec.label, spec.kind, command, env, spec.port, spec.headers)


def _path_of(spec: ServerSpec) -> str:
    """Servers on the same path send the same statements, whatever their worker count."""
    return spec.label.split()[-1]


def _measure_all(
    specs: list[ServerSpec], options: argparse.Namespace, notes: list[str]
) -> list[Row]:
    counter = StatementCounter(COUNTER_PORT)
    counter.start()
    reference: dict[str, object] = {}
    counted: dict[tuple[str, str], Counts] = {}
    rows: list[Row] = []
    try:
        for spec in specs:
            if _path_of(spec) not in {path for path, _ in counted}:
                counted.update(_count_statements(spec, counter, options.queries, reference, notes))
            rows.extend(_measure_server(spec, options, counted, reference, notes))
    finally:
        counter.stop()
    notes.append(
        "SQL/req: statements the server sent per request (transaction control apart), counted "
        f"over {COUNTED_REQUESTS} sequential requests through a wire-protocol proxy "
        "(bench/statement_counter.py) by the 1-worker server of each path; the proxy is not "
        "in the way while requests per second are measured. tx+ping/req: BEGIN, COMMIT, "
        "ROLLBACK and pool pings. What each query sent: bench/results/logs/*-statements.txt."
    )
    notes.append(
        "Python µs/req: the median, over 50 sequential requests, of the Python time the hub's "
        "compiled path reports in its Server-Timing header (from reading the body to the "
        "response, less its waits for a connection and on the database; uvicorn's HTTP parsing "
        "and writing apart)."
    )
    return rows


def _queries_for(spec: ServerSpec, queries: list[Query]) -> list[Query]:
    """The shapes this server answers, in its dialect: PostGraphile skips the hub-only ones,
    and pages Q6 from the cursor it gives for the sync time (asked here, outside the timing)."""
    found = [query for query in queries if query.runs_on(spec.kind)]
    if spec.kind != "postgraphile" or not any(query.name == "Q6" for query in found):
        return found
    answer = post(spec, json.dumps({"query": PG_Q6_CURSORS}).encode())
    if answer.get("errors"):
        raise RuntimeError(f"{spec.label}: the Q6 cursors query failed: {answer}")
    cursor = postgraphile_sync_cursor(answer)
    return [
        with_postgraphile_cursor(query, cursor) if query.name == "Q6" else query for query in found
    ]


def answered_path(spec: ServerSpec, body: bytes) -> str:
    """Which of the hub's read paths answered `body`: "compiled" when the response's
    Server-Timing header has the compiled path's `python` entry (hub/interfaces/graphql/compiled/
    executor.py sends it, the normal path does not), else "normal"; "-" for PostGraphile."""
    if spec.kind != "hub":
        return "-"
    headers = {"Content-Type": "application/json", **spec.headers}
    request = urllib.request.Request(spec.url, data=body, headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=120) as response:
        response.read()
        timing = response.headers.get("Server-Timing") or ""
    entries = {entry.strip().partition(";dur=")[0] for entry in timing.split(",")}
    return "compiled" if "python" in entries else "normal"


def _count_statements(
    spec: ServerSpec,
    counter: StatementCounter,
    queries: list[Query],
    reference: dict,
    notes: list[str],
) -> dict[tuple[str, str], Counts]:
    print(f"\n{spec.label}: checking the answers and counting statements")
    counted_spec = _through_counter(spec)
    server = RunningServer(counted_spec, LOGS_DIR / f"{_slug(spec.label)}-counted.log")
    try:
        server.wait_until_ready()
        counts = {}
        for query in _queries_for(counted_spec, queries):
            _check(counted_spec, query, reference, notes)
            counter.take()
            for _ in range(COUNTED_REQUESTS):
                post(counted_spec, query.body(spec.kind))
            counts[(_path_of(spec), query.name)] = counter.take()
        _write_statements(spec, counts)
        return counts
    finally:
        server.stop()


def _write_statements(spec: ServerSpec, counts: dict[tuple[str, str], Counts]) -> None:
    """What each query sent, most frequent first, for reading when SQL/req surprises."""
    lines = []
    for (_path, query), seen in counts.items():
        lines.append(f"## {query}: {COUNTED_REQUESTS} requests")
        lines += [f"{n:>6}  {sql[:2000]}" for sql, n in seen.texts.most_common()]
    path = LOGS_DIR / f"{_slug(spec.label)}-statements.txt"
    path.write_text("\n".join(lines) + "\n")


def _check(spec: ServerSpec, query: Query, reference: dict, notes: list[str]) -> bool:
    """One answer, outside the timing: no errors, the expected items, the same data as
    the first server gave. Returns whether it matched; a mismatch is noted, not fatal."""
    answer = post(spec, query.body(spec.kind))
    if answer.get("errors") or not answer.get("data"):
        raise RuntimeError(f"{spec.label} {query.name} answered with errors: {answer}")
    shape = query.shape(spec.kind, answer)
    if (found := count(query, shape)) != query.items:
        raise RuntimeError(f"{spec.label} {query.name}: {found} items, not {query.items}")
    first = reference.setdefault(query.name, shape)
    if first != shape:
        notes.append(f"{spec.label} {query.name}: the answer differs from the first server's.")
    return first == shape


def _measure_server(
    spec: ServerSpec,
    options: argparse.Namespace,
    counted: dict[tuple[str, str], Counts],
    reference: dict,
    notes: list[str],
) -> list[Row]:
    print(
        f"\n{spec.label}: {options.warmup}s warm-up + {options.duration}s per query, "
        f"c={load.CONCURRENCY}"
    )
    notes.append(f"Load average (1 min) as {spec.label} began: {os.getloadavg()[0]:.1f}.")
    server = RunningServer(spec, LOGS_DIR / f"{_slug(spec.label)}.log")
    rows = []
    try:
        server.wait_until_ready()
        for query in _queries_for(spec, options.queries):
            matches = _check(spec, query, reference, notes)
            path = answered_path(spec, query.body(spec.kind))
            python_us = python_microseconds(spec, query.body(spec.kind))
            script = RESULTS_DIR / f"{_slug(spec.label)}-{query.name}.lua"
            load.write_script(script, query.body(spec.kind), spec.headers)
            with MemorySampler(server.process.pid) as memory:
                if options.warmup:
                    load.drive(spec.url, script, options.warmup)
                result = load.drive(spec.url, script, options.duration)
                # Slow shapes leave requests in flight; the next check must not meet them.
                wait_until_idle(server.process.pid, timeout=IDLE_TIMEOUT_SECONDS)
            statements = counted.get((_path_of(spec), query.name))
            row = Row(
                spec.label,
                query.name,
                result,
                statements,
                COUNTED_REQUESTS,
                memory.peak_mb,
                matches,
                python_us,
                path,
            )
            print(render([row]).splitlines()[-1], flush=True)
            rows.append(row)
    finally:
        server.stop()
    return rows


def _slug(label: str) -> str:
    return "-".join(label.lower().split())


def _publish(rows: list[Row], notes: list[str], options: argparse.Namespace) -> None:
    command = "python3 bench/run.py " + " ".join(sys.argv[1:])
    header = [
        f"# Bench, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"`{command.strip()}`: {os.cpu_count()} cores, PostgreSQL on 127.0.0.1, data "
        f"{dataset.ORGANIZATIONS} orgs / {dataset.PEOPLE:,} people / {dataset.CONVENINGS:,} "
        f"convenings / {dataset.CONVENINGS * dataset.RSVPS_PER_CONVENING:,} RSVPs / "
        f"{dataset.SEATS} seats / {dataset.PROPOSALS:,} proposals / "
        f"{dataset.CLOSED_PROPOSALS * dataset.SEATS:,} votes (version "
        f"{dataset.DATASET_VERSION}); "
        f"c={load.CONCURRENCY}, {options.warmup}s warm-up + {options.duration}s measured "
        "per query.",
        "",
        *[f"{query.name}: {query.label}." for query in options.queries],
        "",
    ]
    text = "\n".join([*header, render(rows), "", *[f"- {note}" for note in notes]]) + "\n"
    (RESULTS_DIR / "latest.md").write_text(text)
    print("\n" + text)
    print(f"Written to {RESULTS_DIR / 'latest.md'}")


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("\nInterrupted: the servers were stopped.")
        sys.exit(130)

"""Past one machine: a mixed workload on 1, 2 and 4 hub processes behind PgBouncer on one
PostgreSQL, without and with a streaming read replica, in one command.

    python3 bench/scale.py [--duration S] [--warmup S] [--processes 1 2 4] [--no-replica]

See bench/README.md ("Scale"). It makes its own throwaway primary and replica (initdb and
`pg_basebackup -R`, tests/infrastructure/replica.py) and a PgBouncer in transaction pooling
mode in front of each (tests/infrastructure/pgbouncer.py), all on 127.0.0.1 and free ports;
every server and cluster it starts is stopped on the way out, also on Ctrl-C and errors.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import time
import urllib.request
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
VENV = ROOT / ".venv"

_PYTHON = VENV / "bin" / "python"
if __name__ == "__main__" and Path(sys.prefix).resolve() != VENV.resolve() and _PYTHON.exists():
    # The bench imports the hub's models, asyncpg and the test infrastructure.
    os.execv(_PYTHON, [str(_PYTHON), __file__, *sys.argv[1:]])

sys.path.insert(0, str(ROOT))  # tests/infrastructure starts the clusters and the poolers

import asyncpg  # noqa: E402
import dataset  # noqa: E402
import mixed  # noqa: E402
import tools  # noqa: E402
from prometheus_client.parser import text_string_to_metric_families  # noqa: E402
from servers import RunningServer, ServerSpec, post  # noqa: E402

from tests.infrastructure.pgbouncer import Bouncer, free_port, pgbouncer  # noqa: E402
from tests.infrastructure.replica import StreamingPair, fetchval, streaming_pair  # noqa: E402

DATABASE = "hub_scale"
SECRET_KEY = "bench-only-secret-key-not-for-production-0123456789"
BUDGET_POINTS = str(2_000_000_000)
PROPOSALS = 200
RESULTS_DIR = BENCH_DIR / "results"
LOGS_DIR = RESULTS_DIR / "logs"
COLUMNS = [
    *("hub processes", "replica", "req/s", "p50 ms", "p99 ms"),
    *("errors", "RSVPs", "SQL on replica", "compiled"),
]
METRICS_TOKEN = "bench-metrics-token"

# The reference data's convenings are dated through 2026; RSVPs go to upcoming ones only, so
# every convening is moved two years on. Proposals give the proposal list something to read.
AFTER_FILL = [
    "UPDATE convenings SET starts_at = starts_at + interval '2 years', "
    "ends_at = ends_at + interval '2 years'",
    f"""
    INSERT INTO proposals (title, summary, body, status, created_by_id)
    SELECT 'Proposal ' || p, 'Summary ' || p, '',
           (ARRAY['DISCUSSION', 'ADOPTED', 'REJECTED'])[1 + p % 3], 1
    FROM generate_series(1, {PROPOSALS}) AS p
    """,
    "ANALYZE",
]


@dataclass(frozen=True)
class Measured:
    processes: int
    replica: bool
    result: mixed.MixedResult
    replica_share: float | None  # of the statements both servers ran, None without a replica
    compiled_share: float  # of one process's GraphQL requests, from its /metrics


def main() -> int:
    options = _parse_options()
    signal.signal(signal.SIGTERM, _interrupt)  # so that `finally` stops what was started
    LOGS_DIR.mkdir(parents=True, exist_ok=True)
    if problem := tools.ensure_wrk():
        print(f"Cannot run: {problem}")
        return 2
    started = time.monotonic()
    with ExitStack() as running:
        pair = running.enter_context(streaming_pair())
        _prepare(pair)
        print(f"Data: built on a throwaway primary, replayed ({time.monotonic() - started:.0f}s)")
        primary = running.enter_context(pgbouncer(pair.primary_url))
        replica = running.enter_context(pgbouncer(pair.replica_url))
        token = _mint_token(_direct_url(pair.primary_url))
        rows = [
            _measure(processes, with_replica, pair, primary, replica, token, options)
            for with_replica in ([False, True] if options.replica else [False])
            for processes in options.processes
        ]
    table = _render(rows)
    print(table)
    (RESULTS_DIR / "scale.md").write_text(_stamp() + "\n\n" + table + "\n")
    return 0


def _parse_options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Mixed load on 1, 2, 4 hub processes.")
    parser.add_argument("--duration", type=int, default=12, help="measured seconds per run")
    parser.add_argument("--warmup", type=int, default=3, help="warm-up seconds per run")
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--no-replica", dest="replica", action="store_false")
    return parser.parse_args()


def _interrupt(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def _direct_url(server_url: str) -> str:
    return server_url.rsplit("/", 1)[0] + f"/{DATABASE}"


def _plain(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


def _prepare(pair: StreamingPair) -> None:
    """The reference data on the primary, by the hub's own migrations, replayed on the replica."""
    fetchval(pair.primary_url, f'CREATE DATABASE "{DATABASE}"')
    url = _direct_url(pair.primary_url)
    subprocess.run(
        [str(VENV / "bin" / "hub"), "migrate"],
        env={**os.environ, "HUB_DATABASE_URL": url},
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=300,
    )
    asyncio.run(dataset.fill(_plain(url)))
    asyncio.run(_run_all(_plain(url), AFTER_FILL))
    pair.wait_for_replay()


async def _run_all(url: str, statements: list[str]) -> None:
    connection = await asyncpg.connect(url)
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


def _hub_env(primary_url: str, replica_url: str | None = None) -> dict[str, str]:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("HUB_")},
        "HUB_DATABASE_URL": primary_url,
        "HUB_SECRET_KEY": SECRET_KEY,
        "HUB_BUDGET_POINTS": BUDGET_POINTS,
        "HUB_BUDGET_ANONYMOUS_POINTS": BUDGET_POINTS,
        "HUB_METRICS_TOKEN": METRICS_TOKEN,
    }
    if replica_url is not None:
        env["HUB_DATABASE_REPLICA_URL"] = replica_url
    return env


def _mint_token(primary_url: str) -> str:
    command = [str(VENV / "bin" / "hub"), "token", dataset.ADMIN_EMAIL, "--days", "2"]
    minted = subprocess.run(
        command,
        env=_hub_env(primary_url),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return minted.stdout.strip().splitlines()[-1]


def _spec(
    processes: int, with_replica: bool, primary: Bouncer, replica: Bouncer, token: str
) -> ServerSpec:
    env = _hub_env(primary.url_for(DATABASE), replica.url_for(DATABASE) if with_replica else None)
    env["HUB_DATABASE_POOLER"] = "transaction"
    port = free_port()
    command = [str(VENV / "bin" / "hub"), "serve", "--port", str(port)]
    return ServerSpec(
        label=f"{processes} process{'es' if processes > 1 else ''}"
        + (" + replica" if with_replica else ""),
        kind="hub",
        command=[*command, "--workers", str(processes)],
        env=env,
        port=port,
        headers={"Authorization": f"Bearer {token}"},
    )


def _measure(
    processes: int,
    with_replica: bool,
    pair: StreamingPair,
    primary: Bouncer,
    replica: Bouncer,
    token: str,
    options: argparse.Namespace,
) -> Measured:
    spec = _spec(processes, with_replica, primary, replica, token)
    print(f"{spec.label}: starting", flush=True)
    log = LOGS_DIR / f"scale-{processes}{'-replica' if with_replica else ''}.log"
    server = RunningServer(spec, log)
    try:
        server.wait_until_ready()
        reads, writes = mixed.read_bodies(), mixed.rsvp_bodies(dataset.CONVENINGS)
        _check_answers(spec, [*reads, writes[0]])
        script = mixed.write_script(RESULTS_DIR / "scale.lua", reads, writes, token)
        mixed.drive(spec.url, script, options.warmup)
        before = _statements(pair)
        result = mixed.drive(spec.url, script, options.duration)
        after = _statements(pair)
        compiled = _compiled_share(spec)
    finally:
        server.stop()
    share = _replica_share(before, after) if with_replica else None
    print(f"{spec.label}: {result.load.requests_per_second:.0f} req/s", flush=True)
    return Measured(processes, with_replica, result, share, compiled)


def _compiled_share(spec: ServerSpec) -> float:
    """The compiled path's share of the GraphQL requests one process answered (the one a
    scrape of /metrics reaches), warm-up included."""
    url = spec.url.removesuffix("/graphql") + "/metrics"
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        text = response.read().decode()
    by_path = {"compiled": 0.0, "normal": 0.0}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "hub_graphql_requests_total":
                by_path[sample.labels["read_path"]] += sample.value
    return by_path["compiled"] / max(1.0, sum(by_path.values()))


def _check_answers(spec: ServerSpec, bodies: list[bytes]) -> None:
    """Each kind of request answers without errors, outside the timing."""
    for body in bodies:
        answer = post(spec, body)
        payload_errors = (answer.get("data") or {}).get("rsvp", {}).get("errors")
        if answer.get("errors") or payload_errors:
            raise RuntimeError(f"{spec.label}: {body[:80]!r} answered {str(answer)[:300]}")


def _statements(pair: StreamingPair) -> tuple[int, int]:
    """Statements run so far (pg_stat_statements' calls) on the primary and on the replica."""
    query = "SELECT coalesce(sum(calls), 0)::bigint FROM pg_stat_statements"
    return int(fetchval(pair.primary_url, query)), int(fetchval(pair.replica_url, query))  # type: ignore[arg-type]


def _replica_share(before: tuple[int, int], after: tuple[int, int]) -> float:
    on_primary, on_replica = after[0] - before[0], after[1] - before[1]
    return on_replica / max(1, on_primary + on_replica)


def _render(rows: list[Measured]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for row in rows:
        load = row.result.load
        cells = [
            str(row.processes),
            "yes" if row.replica else "no",
            f"{load.requests_per_second:.0f}",
            f"{load.p50_us / 1000:.1f}",
            f"{load.p99_us / 1000:.1f}",
            str(row.result.errors),
            str(row.result.writes),
            "-" if row.replica_share is None else f"{row.replica_share:.0%}",
            f"{row.compiled_share:.0%}",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _stamp() -> str:
    load = os.getloadavg()[0]
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"{when}, {os.cpu_count()} cores, load average {load:.1f} at the end"


if __name__ == "__main__":
    sys.exit(main())

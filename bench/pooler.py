"""The compiled read path straight to PostgreSQL, and through PgBouncer in transaction mode with
HUB_DATABASE_POOLER=transaction (README, "Behind PgBouncer"): req/s and latency of Q1 and Q2.

    python3 bench/pooler.py [--duration S] [--warmup S] [--workers N] [--fresh]
                            [--paths WHERE:POOLER ...]

One uvicorn server at a time on 127.0.0.1 over the reference data set (bench/dataset.py, reused
when present); PgBouncer is started by tests/infrastructure/pgbouncer.py with as many server
connections as the hub's pool. Every server it starts is stopped on the way out.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
VENV = ROOT / ".venv"

if __name__ == "__main__" and Path(sys.prefix).resolve() != VENV.resolve():
    os.execv(VENV / "bin" / "python", [str(VENV / "bin" / "python"), __file__, *sys.argv[1:]])

sys.path.insert(0, str(ROOT))  # tests/infrastructure, shared with the tests

import dataset  # noqa: E402
import load  # noqa: E402
import tools  # noqa: E402
from queries import REFERENCE_QUERIES, Query, count  # noqa: E402
from run import BUDGET_POINTS, DATABASE, HUB_PORT, SECRET_KEY, _mint_token  # noqa: E402
from servers import RunningServer, ServerSpec, post  # noqa: E402

from tests.infrastructure.pgbouncer import pgbouncer  # noqa: E402

POOL_SIZE = 10  # the hub's default HUB_DATABASE_POOL_SIZE


def main() -> int:
    options = _options()
    if problem := tools.ensure_wrk():
        print(f"Cannot run: {problem}")
        return 2
    print(dataset.prepare(DATABASE, fresh=options.fresh), flush=True)
    token = _mint_token()
    direct = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{DATABASE}"
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    print("| database path | query | req/s | p50 ms | p99 ms | errors | 1 client: ms | its db ms |")
    print("|---|---|---|---|---|---|---|---|")
    with pgbouncer(direct, pool_size=POOL_SIZE) as bouncer:
        for path in options.paths:
            where, pooler = path.split(":")
            url = bouncer.url_for(direct) if where == "pgbouncer" else direct
            _measure(f"{where}, pooler={pooler}", url, pooler, token, options)
    return 0


def _measure(label: str, url: str, pooler: str, token: str, options: argparse.Namespace) -> None:
    env = {
        **os.environ,
        "HUB_DATABASE_URL": url,
        "HUB_DATABASE_POOLER": pooler,
        "HUB_SECRET_KEY": SECRET_KEY,
        "HUB_BUDGET_POINTS": BUDGET_POINTS,
        "HUB_BUDGET_ANONYMOUS_POINTS": BUDGET_POINTS,
        "HUB_COMPILED_READS": "1",
    }
    command = [str(VENV / "bin" / "uvicorn"), "hub.app:create_app", "--factory"]
    command += ["--host", "127.0.0.1", "--port", str(HUB_PORT)]
    command += ["--workers", str(options.workers), "--no-access-log", "--log-level", "warning"]
    spec = ServerSpec(label, "hub", command, env, HUB_PORT, {"Authorization": f"Bearer {token}"})
    with tempfile.TemporaryDirectory(prefix="hub-bench-pooler-") as folder:
        server = RunningServer(spec, Path(folder) / "server.log")
        try:
            server.wait_until_ready()
            for query in REFERENCE_QUERIES[:2]:
                _check(spec, query)
                script = load.write_script(
                    Path(folder) / f"{query.name}.lua", query.body("hub"), spec.headers
                )
                load.drive(spec.url, script, options.warmup)
                result = load.drive(spec.url, script, options.duration)
                alone, database = _one_client(spec, query.body("hub"), options.sequential)
                print(
                    f"| {label} | {query.name} | {result.requests_per_second:.0f} | "
                    f"{result.p50_us / 1000:.1f} | {result.p99_us / 1000:.1f} | {result.errors} | "
                    f"{alone:.2f} | {database:.2f} |",
                    flush=True,
                )
        finally:
            server.stop()


def _one_client(spec: ServerSpec, body: bytes, requests: int) -> tuple[float, float]:
    """Median milliseconds of sequential requests: the whole answer as the client waits for
    it, and the compiled path's own `db` entry of Server-Timing (its statement's round trip).
    Less sensitive than req/s to other work on a shared machine."""
    whole, database = [], []
    for _ in range(requests):
        request = urllib.request.Request(
            spec.url,
            data=body,
            headers={"Content-Type": "application/json", **spec.headers},
            method="POST",
        )
        began = time.perf_counter()
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()
            timing = response.headers.get("Server-Timing") or ""
        whole.append((time.perf_counter() - began) * 1000)
        entries = dict(entry.strip().partition(";dur=")[::2] for entry in timing.split(","))
        database.append(float(entries.get("db", "nan")))
    return statistics.median(whole), statistics.median(database)


def _check(spec: ServerSpec, query: Query) -> None:
    """The query answers in full, without errors (which would come back as 200), before it is
    timed."""
    answer = post(spec, query.body("hub"))
    if "errors" in answer or count(query, query.shape("hub", answer)) != query.items:
        raise SystemExit(f"{spec.label}: {query.name} did not answer in full: {answer}"[:2000])


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=20, help="measured seconds per query")
    parser.add_argument("--warmup", type=int, default=5, help="discarded seconds per query")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn workers")
    parser.add_argument(
        "--sequential", type=int, default=200, help="requests of the one-client measurement"
    )
    parser.add_argument("--fresh", action="store_true", help="rebuild the reference data set")
    parser.add_argument(
        "--paths",
        nargs="+",
        default=["direct:none", "direct:transaction", "pgbouncer:transaction"],
        help="WHERE:POOLER pairs: direct or pgbouncer, and the HUB_DATABASE_POOLER setting",
    )
    return parser.parse_args()


if __name__ == "__main__":
    sys.exit(main())

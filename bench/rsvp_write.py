"""The `rsvp` mutation under load: requests per second, latency and statements per mutation.

    python3 bench/rsvp_write.py [--duration S] [--warmup S] [--runs N] [--concurrency C]

One uvicorn worker on its own PostgreSQL database (`hub_bench_rsvp` on 127.0.0.1:5432, made
by `hub migrate` when missing and emptied of its rows before each run; no other database is
touched), PEOPLE members each with a personal access token, CONVENINGS upcoming convenings of
CAPACITY places each. wrk drives `rsvp` mutations at `--concurrency` connections (16): each
request is a random (person, convening, answer) of a seeded list, GOING half the time, MAYBE
or NOT_GOING otherwise, so places fill, waitlists form and cancellations promote from them.

Before the load, the same server is started once behind bench/statement_counter.py (a proxy
reading the wire protocol) and sent COUNTED sequential mutations of the same mix: statements
per mutation, transaction control apart, and the texts (bench/results/logs/rsvp-statements.txt).
After each run the database is checked: every convening's going_count equals its GOING rows
and stays within capacity, waitlist positions run 1..n, nobody waits while a place is free,
and no answer came back with errors. Budgets never refuse (2·10⁹ points) but charge as in
production.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
VENV = ROOT / ".venv"

if __name__ == "__main__" and Path(sys.prefix).resolve() != VENV.resolve():
    python = VENV / "bin" / "python"
    if python.exists():  # the bench imports the hub and asyncpg
        os.execv(python, [str(python), __file__, *sys.argv[1:]])

import asyncpg  # noqa: E402
import tools  # noqa: E402
from load import LoadResult, wrk_counts  # noqa: E402
from servers import RunningServer, ServerSpec, wait_until_idle  # noqa: E402
from statement_counter import Counts, StatementCounter  # noqa: E402

from hub.access.auth.personal_tokens import personal_token_hash  # noqa: E402
from hub.interfaces.graphql.node import to_global_id  # noqa: E402

DATABASE = "hub_bench_rsvp"
SERVER = "postgresql://postgres@127.0.0.1:5432"
HUB_PORT, COUNTER_PORT = 18411, 18413
SECRET_KEY = "bench-only-secret-key-not-for-production-0123456789"
BUDGET_POINTS = str(2_000_000_000)
PEOPLE, CONVENINGS, CAPACITY, ORGANIZATIONS = 400, 40, 5, 20
REQUESTS_IN_SCRIPT = 4000  # the seeded list the wrk threads go through
COUNTED = 200  # sequential mutations sent while statements are counted
RESULT_MARK = "RSVP_RESULT "
RESULTS_DIR = BENCH_DIR / "results"
LOGS_DIR = RESULTS_DIR / "logs"

RSVP = """mutation($input: RsvpInput!) {
  rsvp(input: $input) {
    rsvp { id status waitlistPosition person { name } organization { name } }
    errors { code message } } }"""

FILL = [
    f"""INSERT INTO organizations (id, slug, name, kind, sector, counties, state, description,
                                   search_text)
        SELECT o, 'org-' || o, 'Organization ' || o, 'MEMBER', 'COMMUNITY_ORGANIZING', '[]',
               'CA', '', 'organization ' || o
        FROM generate_series(1, {ORGANIZATIONS}) AS o""",
    f"""INSERT INTO people (id, name, email, preferred_language, is_admin, search_text)
        SELECT p, 'Person ' || p, 'person' || p || '@example.org', 'en', false, 'person ' || p
        FROM generate_series(1, {PEOPLE}) AS p""",
    f"""INSERT INTO affiliations (person_id, organization_id, role)
        SELECT p, 1 + p % {ORGANIZATIONS}, 'MEMBER' FROM generate_series(1, {PEOPLE}) AS p""",
    f"""INSERT INTO personal_access_tokens (person_id, name, token_hash, scope, created_at,
                                            expires_at)
        SELECT p, 'bench', encode(sha256(convert_to('hub_pat_bench_' || p, 'UTF8')), 'hex'),
               'read write', now(), now() + interval '2 days'
        FROM generate_series(1, {PEOPLE}) AS p""",
    f"""INSERT INTO convenings (id, title, kind, description, starts_at, ends_at, time_zone,
                                languages, visibility, status, going_count, sequence, capacity)
        SELECT c, 'Convening ' || c, 'STRATEGY_SESSION', '',
               now() + interval '30 days' + c * interval '1 hour',
               now() + interval '30 days' + c * interval '1 hour' + interval '2 hours',
               'America/Los_Angeles', '["en"]', 'MEMBERS', 'SCHEDULED', 0, 0, {CAPACITY}
        FROM generate_series(1, {CONVENINGS}) AS c""",
    f"""INSERT INTO convening_hosts (convening_id, organization_id)
        SELECT c, 1 + c % {ORGANIZATIONS} FROM generate_series(1, {CONVENINGS}) AS c""",
    *[
        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
        for table in ("organizations", "people", "convenings")
    ],
]

# What the check after a run reads: per convening, the counter against the rows.
INVARIANTS = """
SELECT c.id, c.capacity, c.going_count,
       count(*) FILTER (WHERE r.status = 'GOING') AS going,
       count(*) FILTER (WHERE r.status = 'WAITLISTED') AS waiting,
       coalesce(array_agg(r.waitlist_position ORDER BY r.waitlist_position)
                FILTER (WHERE r.status = 'WAITLISTED'), '{}') AS positions
FROM convenings c LEFT JOIN rsvps r ON r.convening_id = c.id
GROUP BY c.id ORDER BY c.id
"""

LUA = """local bodies = {{ {bodies} }}
local tokens = {{ {tokens} }}
local threads = {{}}
local counter = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  answer_errors = 0
  position = (id - 1) * 997
end

function request()
  position = position % #bodies + 1
  -- headers given to wrk.format replace wrk.headers: Content-Type goes along.
  local headers = {{["Content-Type"] = "application/json",
                   ["Authorization"] = "Bearer " .. tokens[position]}}
  return wrk.format(nil, nil, headers, bodies[position])
end

function response(status, headers, body)
  if not string.find(body, '"errors":%s*%[%]') or string.find(body, '^{{"errors"') then
    answer_errors = answer_errors + 1
  end
end

function done(summary, latency, requests)
  local errors = 0
  for _, thread in ipairs(threads) do
    errors = errors + thread:get("answer_errors")
  end
  io.write(string.format(
    '{mark}{{"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,' ..
    '"non_2xx":%d,"timeouts":%d,"socket_errors":%d,"answer_errors":%d}}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    summary.errors.status, summary.errors.timeout,
    summary.errors.connect + summary.errors.read + summary.errors.write, errors))
end
"""


@dataclass(frozen=True)
class Request:
    person: int
    body: bytes

    @property
    def token(self) -> str:
        return f"hub_pat_bench_{self.person}"


def requests(count: int, seed: int) -> list[Request]:
    chosen = random.Random(seed)
    made = []
    for _ in range(count):
        person = chosen.randint(1, PEOPLE)
        convening = str(to_global_id("Convening", chosen.randint(1, CONVENINGS)))
        status = chosen.choice(["GOING", "GOING", "MAYBE", "NOT_GOING"])
        variables = {"input": {"conveningId": convening, "status": status}}
        made.append(Request(person, json.dumps({"query": RSVP, "variables": variables}).encode()))
    return made


def main() -> int:
    options = _options()
    signal.signal(signal.SIGTERM, _interrupt)
    if problem := tools.ensure_wrk():
        print(f"Cannot run: {problem}")
        return 2
    for port in (HUB_PORT, COUNTER_PORT):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                raise SystemExit(f"Port {port} is in use: stop what listens there first.")
    assert personal_token_hash("hub_pat_bench_1")  # the tokens FILL stores are these hashes
    LOGS_DIR.mkdir(parents=True, exist_ok=True)
    print(f"Load average at the start: {_load()}", flush=True)
    asyncio.run(_make_database(fresh=options.fresh))
    command = [str(VENV / "bin" / "hub"), "migrate"]
    subprocess.run(command, env=_hub_env(), cwd=ROOT, check=True, capture_output=True, timeout=300)
    counts = _count_statements(options.counted)
    print(_statement_line(counts, options.counted), flush=True)
    results = []
    for run in range(1, options.runs + 1):
        asyncio.run(_empty_rsvps())
        result = _load_run(options)
        problems = asyncio.run(_invariant_problems())
        results.append(result)
        print(
            f"run {run}: {result.load.requests_per_second:.1f} req/s, p50 "
            f"{result.load.p50_us / 1000:.1f} ms, p99 {result.load.p99_us / 1000:.1f} ms, "
            f"{result.load.requests} requests, errors {result.errors}, "
            f"invariants {'hold' if not problems else 'BROKEN: ' + '; '.join(problems[:5])} "
            f"(load average {_load()})",
            flush=True,
        )
        if problems:
            return 1
    if results:
        median = statistics.median(r.load.requests_per_second for r in results)
        p99 = statistics.median(r.load.p99_us / 1000 for r in results)
        print(
            f"\nrsvp at c={options.concurrency}: median {median:.1f} req/s, median p99 "
            f"{p99:.1f} ms over {len(results)} runs of {options.duration}s; "
            + _statement_line(counts, options.counted)
        )
    return 0


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="The rsvp mutation under load.")
    parser.add_argument("--duration", type=int, default=20, help="measured seconds per run")
    parser.add_argument("--warmup", type=int, default=5, help="warm-up seconds per run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--counted", type=int, default=COUNTED, help="mutations counted")
    parser.add_argument("--fresh", action="store_true", help="drop and rebuild the database")
    return parser.parse_args()


def _interrupt(signal_number: int, _frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signal_number}")


def _load() -> str:
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


def _hub_env(port: int = 5432) -> dict[str, str]:
    return {
        **os.environ,
        "HUB_DATABASE_URL": f"postgresql+asyncpg://postgres@127.0.0.1:{port}/{DATABASE}",
        "HUB_SECRET_KEY": SECRET_KEY,
        "HUB_BUDGET_POINTS": BUDGET_POINTS,
        "HUB_BUDGET_ANONYMOUS_POINTS": BUDGET_POINTS,
    }


def _spec(database_port: int = 5432) -> ServerSpec:
    command = [str(VENV / "bin" / "uvicorn"), "hub.app:create_app", "--factory"]
    command += ["--host", "127.0.0.1", "--port", str(HUB_PORT), "--workers", "1"]
    command += ["--no-access-log", "--log-level", "warning"]
    return ServerSpec("hub rsvp", "hub", command, _hub_env(database_port), HUB_PORT)


async def _make_database(*, fresh: bool) -> None:
    """Makes `hub_bench_rsvp` (and only it) when missing or asked to (main migrates it)."""
    connection = await asyncpg.connect(f"{SERVER}/postgres")
    try:
        exists = await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", DATABASE)
        if fresh and exists:
            await connection.execute(f'DROP DATABASE "{DATABASE}" WITH (FORCE)')
        if fresh or not exists:
            await connection.execute(f'CREATE DATABASE "{DATABASE}"')
    finally:
        await connection.close()


async def _empty_rsvps() -> None:
    """Each run starts from the same rows: the fixed ones made again, nothing answered."""
    connection = await asyncpg.connect(f"{SERVER}/{DATABASE}")
    try:
        async with connection.transaction():
            await connection.execute(
                "TRUNCATE organizations, people, convenings, rate_limit_buckets, outbox_messages,"
                " request_keys CASCADE"
            )
            for statement in FILL:
                await connection.execute(statement)
        await connection.execute("ANALYZE")
    finally:
        await connection.close()


async def _invariant_problems() -> list[str]:
    connection = await asyncpg.connect(f"{SERVER}/{DATABASE}")
    try:
        rows = await connection.fetch(INVARIANTS)
    finally:
        await connection.close()
    problems = []
    for row in rows:
        name = f"convening {row['id']}"
        if row["going_count"] != row["going"]:
            problems.append(f"{name}: going_count {row['going_count']}, GOING rows {row['going']}")
        if row["going"] > row["capacity"]:
            problems.append(f"{name}: {row['going']} GOING for {row['capacity']} places")
        if list(row["positions"]) != list(range(1, row["waiting"] + 1)):
            problems.append(f"{name}: waitlist positions {list(row['positions'])}")
        if row["waiting"] and row["going"] < row["capacity"]:
            problems.append(f"{name}: {row['waiting']} waiting beside a free place")
    return problems


def _count_statements(counted: int) -> Counts:
    """Statements per mutation, through the wire-protocol proxy, sequential requests."""
    asyncio.run(_empty_rsvps())
    counter = StatementCounter(COUNTER_PORT)
    counter.start()
    spec = _spec(COUNTER_PORT)
    server = RunningServer(spec, LOGS_DIR / "rsvp-counted.log")
    try:
        server.wait_until_ready()
        # Every token's first use writes its last_used_at (once a minute): not counted.
        for person in range(1, PEOPLE + 1):
            _post(spec, requests(1, seed=person)[0].body, f"hub_pat_bench_{person}")
        asyncio.run(_empty_rsvps_only())
        counter.take()
        for request in requests(counted, seed=7):
            answer = _post(spec, request.body, request.token)
            if answer.get("errors") or answer["data"]["rsvp"]["errors"]:
                raise RuntimeError(f"an rsvp answered with errors: {answer}")
        counts = counter.take()
    finally:
        server.stop()
        counter.stop()
    lines = [f"## {counted} sequential rsvp mutations"]
    lines += [f"{n:>6}  {sql[:600]}" for sql, n in counts.texts.most_common()]
    (LOGS_DIR / "rsvp-statements.txt").write_text("\n".join(lines) + "\n")
    return counts


async def _empty_rsvps_only() -> None:
    connection = await asyncpg.connect(f"{SERVER}/{DATABASE}")
    try:
        await connection.execute(
            "TRUNCATE rsvps, outbox_messages; UPDATE convenings SET going_count = 0"
        )
    finally:
        await connection.close()


def _statement_line(counts: Counts, counted: int) -> str:
    return (
        f"per mutation: {counts.statements / counted:.2f} statements + "
        f"{counts.overhead / counted:.2f} transaction control/pings "
        f"(over {counted} sequential mutations; texts in {LOGS_DIR / 'rsvp-statements.txt'})"
    )


def _post(spec: ServerSpec, body: bytes, token: str) -> dict:
    request = urllib.request.Request(
        spec.url,
        data=body,
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


@dataclass(frozen=True)
class RunResult:
    """One wrk run's counts, and the answers that came back 200 but carried a GraphQL error."""

    load: LoadResult
    answer_errors: int

    @property
    def errors(self) -> int:
        return self.load.errors + self.answer_errors


def _load_run(options: argparse.Namespace) -> RunResult:
    spec = _spec()
    server = RunningServer(spec, LOGS_DIR / "rsvp.log")
    script = RESULTS_DIR / "rsvp_write.lua"
    made = requests(REQUESTS_IN_SCRIPT, seed=18)
    script.write_text(
        LUA.format(
            bodies=", ".join(f"[==[{r.body.decode()}]==]" for r in made),
            tokens=", ".join(f'"{r.token}"' for r in made),
            mark=RESULT_MARK,
        )
    )
    try:
        server.wait_until_ready()
        if options.warmup:
            _wrk(spec, script, options.warmup, options.concurrency)
            wait_until_idle(server.process.pid)
        started = time.monotonic()
        result = _wrk(spec, script, options.duration, options.concurrency)
        if time.monotonic() - started > options.duration + 60:
            print("  (wrk ran long: the machine is busy)")
        wait_until_idle(server.process.pid)
        return result
    finally:
        server.stop()


def _wrk(spec: ServerSpec, script: Path, seconds: int, concurrency: int) -> RunResult:
    counts = wrk_counts(spec.url, script, seconds, RESULT_MARK, concurrency=concurrency)
    answer_errors = counts.pop("answer_errors")
    return RunResult(LoadResult(**counts), answer_errors)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("\nInterrupted: the server was stopped.")
        sys.exit(130)

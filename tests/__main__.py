"""`python -m tests`: the whole suite, on SQLite and on PostgreSQL side by side.

PostgreSQL is found at HUB_TEST_POSTGRES_URL (default: the local server on 127.0.0.1:5432,
user postgres). The run makes databases of its own there and drops them afterwards: no existing
database is ever emptied. With --require-postgres (as CI runs it) and no server answering, a
throwaway cluster is started in a temporary folder (the server package is installed first where
missing); without it, the PostgreSQL run is skipped with a warning.
A whole run (no tests named) then runs the GraphQL read-path tests once more on PostgreSQL
through a PgBouncer in transaction mode, with the hub's pooler setting on (README, "Behind
PgBouncer"). Arguments after `--` go to pytest.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor

from tests.infrastructure.browser import BROWSERS_IN_THE_SQLITE_PASS, ensure_chromium
from tests.infrastructure.pgbouncer import THROUGH_PGBOUNCER
from tests.infrastructure.postgres import DEFAULT_URL, postgres_server

# Both read paths (the compiled path's differential tests compare them on a corpus, for every
# role) and the query tests of each domain: what a hub behind PgBouncer must answer alike.
READ_PATH_TESTS = [
    "tests/graphql/compiled",
    "tests/graphql/test_node.py",
    "tests/graphql/test_statement_counts.py",
    "tests/graphql/convenings/test_convenings_query.py",
    "tests/graphql/directory/test_organizations_query.py",
    "tests/graphql/directory/test_people_privacy.py",
    "tests/deployment/test_pgbouncer.py",
]


def run_pytest(
    label: str,
    database_url: str | None,
    pytest_args: list[str],
    *,
    through_pgbouncer: bool = False,
    browsers_elsewhere: bool = False,
) -> int:
    """One pass of pytest. Its output is held until it ends, then printed whole under its
    label: passes run side by side and their lines must not interleave."""
    env = dict(os.environ)
    env.pop("HUB_TEST_DATABASE_URL", None)
    env.pop(THROUGH_PGBOUNCER, None)
    if database_url:
        env["HUB_TEST_DATABASE_URL"] = database_url
    if through_pgbouncer:
        env[THROUGH_PGBOUNCER] = "1"
    env.pop(BROWSERS_IN_THE_SQLITE_PASS, None)
    if browsers_elsewhere:
        env[BROWSERS_IN_THE_SQLITE_PASS] = "1"
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace") as output:
        command = [sys.executable, "-m", "pytest", *_workers(pytest_args), *pytest_args]
        code = subprocess.call(command, env=env, stdout=output, stderr=subprocess.STDOUT)
        output.seek(0)
        with _printing:
            print(f"\n=== the test suite on {label} ===", flush=True)
            shutil.copyfileobj(output, sys.stdout)
            sys.stdout.flush()
    return code


_printing = threading.Lock()

# Processes per pass (pytest-xdist), each taking whole files so that a file's servers and
# clusters start once. The suite waits more than it computes (servers starting, browsers,
# deliberate pauses), so on 2 cores two passes of two processes each keep the cores busy.
WORKERS_PER_PASS = int(os.environ.get("HUB_TEST_WORKERS") or 2)


def _workers(pytest_args: list[str]) -> list[str]:
    if WORKERS_PER_PASS <= 1 or any(a == "-n" or a.startswith("-n") for a in pytest_args):
        return []
    return ["-n", str(WORKERS_PER_PASS), "--dist", "loadfile"]


def main(argv: list[str]) -> int:
    require_postgres = "--require-postgres" in argv
    pytest_args = argv[argv.index("--") + 1 :] if "--" in argv else []
    postgres_url = os.environ.get("HUB_TEST_POSTGRES_URL", DEFAULT_URL)
    # The frontend's browser tests drive Debian's chromium: installed here where missing.
    if ensure_chromium() is None:
        print("WARNING: no chromium; the browser tests will fail.", flush=True)
    results: dict[str, int] = {}
    # The SQLite pass runs beside the PostgreSQL passes: each keeps one core busy at most (the
    # suite is one Python process waiting on its database half the time), so side by side
    # they take little more than the longer of them.
    print("Running the suite on SQLite and on PostgreSQL side by side...", flush=True)
    with ThreadPoolExecutor(max_workers=1) as beside:
        sqlite_pass = beside.submit(run_pytest, "SQLite", None, pytest_args)
        with postgres_server(postgres_url, may_start=require_postgres) as server_url:
            if server_url is not None:
                results["PostgreSQL"] = run_pytest(
                    "PostgreSQL", server_url, pytest_args, browsers_elsewhere=True
                )
                if not names_tests(pytest_args):
                    label = "PostgreSQL through PgBouncer"
                    results[label] = run_pytest(
                        label, server_url, [*pytest_args, *READ_PATH_TESTS], through_pgbouncer=True
                    )
            elif require_postgres:
                print("PostgreSQL could not be started: failing, as it was required.", flush=True)
                results["PostgreSQL"] = 1
            else:
                print("\nWARNING: no PostgreSQL answered; the PostgreSQL run was skipped.")
        results = {"SQLite": sqlite_pass.result(), **results}
    print("\n" + ", ".join(f"{k}: {'passed' if v == 0 else 'FAILED'}" for k, v in results.items()))
    return 0 if all(code == 0 for code in results.values()) else 1


def names_tests(pytest_args: list[str]) -> bool:
    """Whether the arguments select tests by path (then only those run, once per database)."""
    return any(
        not argument.startswith("-") and os.path.exists(argument.split("::")[0])
        for argument in pytest_args
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

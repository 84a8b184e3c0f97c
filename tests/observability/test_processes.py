"""The operator's view of real processes: `hub serve` writing JSON log lines that carry each
request's id, and `hub worker` serving its own metrics, its loop's lag among them."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest

from tests.infrastructure.served import Console, free_port, newcomer_env, running
from tests.observability.conftest import METRICS_TOKEN
from tests.observability.scrape import parsed, value

# Their own SQLite database, whichever the suite's pass: once is enough.
pytestmark = pytest.mark.database_independent

SECRET = "observability-test-secret-" + "k" * 32
CALLERS_ID = "trace-4f2a.b9:1"


@pytest.fixture(scope="module")
def hub_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A migrated database of these processes' own (the suite's is held by its event loop)."""
    database = tmp_path_factory.mktemp("observed") / "hub.db"
    env = newcomer_env(
        HUB_DATABASE_URL=f"sqlite+aiosqlite:///{database}",
        HUB_SECRET_KEY=SECRET,
        HUB_METRICS_TOKEN=METRICS_TOKEN,
        HUB_LOG_FORMAT="json",
    )
    migrated = subprocess.run(
        [sys.executable, "-m", "hub", "migrate"], env=env, capture_output=True, timeout=120
    )
    assert migrated.returncode == 0, migrated.stderr
    return env


def json_lines(console: Console) -> list[dict[str, object]]:
    lines = []
    for line in console.text.splitlines():
        if line.startswith("{"):
            lines.append(json.loads(line))
    return lines


def request_lines(
    console: Console, request_id: str, timeout: float = 10
) -> list[dict[str, object]]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [line for line in json_lines(console) if line.get("request_id") == request_id]
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"no JSON line with request_id {request_id!r} in:\n{console.text}")


def test_serve_logs_json_lines_that_carry_the_request_id(hub_env, tmp_path: Path):
    port = free_port()
    command = [sys.executable, "-m", "hub", "serve", "--port", str(port)]
    with running(command, cwd=tmp_path, env=hub_env) as console:
        console.wait_for("Uvicorn running on")
        kept = httpx.get(
            f"http://127.0.0.1:{port}/healthz", headers={"X-Request-ID": CALLERS_ID}, timeout=10
        )
        replaced = httpx.get(
            f"http://127.0.0.1:{port}/healthz",
            headers={"X-Request-ID": 'no "quotes" or spaces'},
            timeout=10,
        )
        (logged,) = request_lines(console, CALLERS_ID)
        generated = replaced.headers["X-Request-ID"]
        (logged_generated,) = request_lines(console, generated)
        started = [line for line in json_lines(console) if line["logger"] == "uvicorn.error"]

    assert kept.headers["X-Request-ID"] == CALLERS_ID
    assert len(generated) == 32 and int(generated, 16) >= 0
    assert logged["logger"] == "hub.requests"
    assert logged["level"] == "INFO"
    assert (logged["method"], logged["route"], logged["status"]) == ("GET", "/healthz", 200)
    assert logged["message"].startswith("GET /healthz 200 ")
    assert datetime.fromisoformat(str(logged["time"])).utcoffset() == timedelta(0)
    assert logged_generated["route"] == "/healthz"
    # uvicorn's own lines are JSON too, outside any request.
    assert started and all(line["request_id"] is None for line in started)


def test_the_worker_serves_its_metrics_and_its_loop_lag(hub_env, tmp_path: Path):
    port = free_port()
    env = {**hub_env, "HUB_WORKER_METRICS_PORT": str(port), "HUB_EMAIL_BACKEND": "console"}
    url = f"http://127.0.0.1:{port}/metrics"
    command = [sys.executable, "-m", "hub", "worker", "--poll-seconds", "0.2"]
    with running(command, cwd=tmp_path, env=env) as console:
        console.wait_for("worker pass")
        refused = _get(url, headers={})
        first = parsed(_get(url, headers={"Authorization": f"Bearer {METRICS_TOKEN}"}).text)
        time.sleep(1.2)
        later = parsed(_get(url, headers={"Authorization": f"Bearer {METRICS_TOKEN}"}).text)

    assert refused.status_code == 401
    probes = "hub_worker_loop_lag_seconds_count"
    assert value(later, probes) >= value(first, probes) + 2
    assert value(later, "hub_database_up") == 1
    assert value(later, "hub_outbox_messages", channel="email", status="pending") == 0


def _get(url: str, headers: dict[str, str]) -> httpx.Response:
    """The worker's server starts beside its first pass: a moment's retries."""
    deadline = time.monotonic() + 10
    while True:
        try:
            return httpx.get(url, headers=headers, timeout=5)
        except httpx.ConnectError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)

"""Driving a server with wrk: a Lua script per query that POSTs its JSON body.

The script's `done` hook prints one line of JSON with wrk's own counts and latency
percentiles, which is easier to read back than wrk's human summary.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

CONCURRENCY = 32
THREADS = 2  # one per core of the reference machine
REQUEST_TIMEOUT = "60s"
RESULT_MARK = "BENCH_RESULT "

LUA_TEMPLATE = """wrk.method = "POST"
wrk.body = [==[{body}]==]
wrk.headers["Content-Type"] = "application/json"
{headers}
done = function(summary, latency, requests)
  io.write(string.format(
    '{mark}{{"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,' ..
    '"non_2xx":%d,"timeouts":%d,"socket_errors":%d}}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    summary.errors.status, summary.errors.timeout,
    summary.errors.connect + summary.errors.read + summary.errors.write))
end
"""


@dataclass(frozen=True)
class LoadResult:
    requests: int
    duration_us: int
    p50_us: int
    p99_us: int
    non_2xx: int
    timeouts: int
    socket_errors: int

    @property
    def requests_per_second(self) -> float:
        return self.requests / (self.duration_us / 1_000_000) if self.duration_us else 0.0

    @property
    def errors(self) -> int:
        return self.non_2xx + self.timeouts + self.socket_errors


def write_script(path: Path, body: bytes, headers: dict[str, str]) -> Path:
    header_lines = "\n".join(
        f'wrk.headers["{name}"] = "{value}"' for name, value in headers.items()
    )
    path.write_text(LUA_TEMPLATE.format(body=body.decode(), headers=header_lines, mark=RESULT_MARK))
    return path


def drive(url: str, script: Path, seconds: int) -> LoadResult:
    """Runs wrk for `seconds` at CONCURRENCY connections; bounded by wrk's own clock."""
    return LoadResult(**wrk_counts(url, script, seconds, RESULT_MARK))


def wrk_counts(
    url: str, script: Path, seconds: int, mark: str, *, concurrency: int = CONCURRENCY
) -> dict:
    """The JSON counts the script's `done` prints after `mark`, from one wrk run."""
    command = [
        "wrk",
        f"-t{THREADS}",
        f"-c{concurrency}",
        f"-d{seconds}s",
        f"--timeout={REQUEST_TIMEOUT}",
        "-s",
        str(script),
        url,
    ]
    # wrk stops itself after `seconds`; the extra minute covers its slowest request.
    finished = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 90)
    for line in finished.stdout.splitlines():
        if line.startswith(mark):
            return dict(json.loads(line.removeprefix(mark)))
    raise RuntimeError(f"wrk gave no result:\n{finished.stdout}\n{finished.stderr}")

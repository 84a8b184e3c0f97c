"""Starting, watching and stopping the servers under test, all on 127.0.0.1.

Each server runs in its own process group, so stopping it stops its workers too, and
`MemorySampler` adds up the resident memory of the whole process tree every 100 ms.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import statistics
import subprocess
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

START_TIMEOUT_SECONDS = 90
STOP_TIMEOUT_SECONDS = 15
SAMPLE_EVERY_SECONDS = 0.1
IDLE_TIMEOUT_SECONDS = 120
IDLE_WINDOW_SECONDS = 0.5
IDLE_CPU_SHARE = 0.05  # of one core


@dataclass
class ServerSpec:
    label: str  # the row's name in the table
    kind: str  # "hub" or "postgraphile": which dialect its queries use
    command: list[str]
    env: dict[str, str]
    port: int
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/graphql"


class RunningServer:
    def __init__(self, spec: ServerSpec, log_path: Path) -> None:
        self.spec = spec
        self.log_path = log_path
        with log_path.open("wb") as log:
            self.process = subprocess.Popen(
                spec.command,
                env=spec.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )

    def wait_until_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.spec.label} exited: see {self.log_path}")
            try:
                post(self.spec, b'{"query": "{ __typename }"}', timeout=5)
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.5)
        raise RuntimeError(f"{self.spec.label} did not answer in {START_TIMEOUT_SECONDS}s")

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        _signal_group(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            _signal_group(self.process.pid, signal.SIGKILL)
            self.process.wait(STOP_TIMEOUT_SECONDS)


def _signal_group(pid: int, signal_number: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal_number)


def post(spec: ServerSpec, body: bytes, timeout: float = 120) -> dict:
    request = urllib.request.Request(
        spec.url,
        data=body,
        headers={"Content-Type": "application/json", **spec.headers},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.load(response)


def python_microseconds(spec: ServerSpec, body: bytes, requests: int = 50) -> float | None:
    """The median Python time of sequential requests, from the `python;dur=<ms>` entry of the
    Server-Timing header the hub's compiled path sends (everything but its waits on the
    database); None for a server that does not send it."""
    seen = []
    for _ in range(requests):
        request = urllib.request.Request(
            spec.url,
            data=body,
            headers={"Content-Type": "application/json", **spec.headers},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()
            timing = response.headers.get("Server-Timing") or ""
        entries = dict(entry.strip().partition(";dur=")[::2] for entry in timing.split(","))
        if "python" not in entries:
            return None
        seen.append(float(entries["python"]) * 1000)
    return statistics.median(seen)


class MemorySampler:
    """Peak resident memory (MB) of a process and all its descendants, sampled in a thread."""

    def __init__(self, root_pid: int) -> None:
        self.root_pid = root_pid
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join(5)

    @property
    def peak_mb(self) -> float:
        return self.peak_kb / 1024

    def _sample(self) -> None:
        while not self._stop.wait(SAMPLE_EVERY_SECONDS):
            self.peak_kb = max(self.peak_kb, tree_rss_kb(self.root_pid))


def wait_until_idle(root_pid: int, timeout: float = IDLE_TIMEOUT_SECONDS) -> None:
    """Waits (bounded) until the server tree stops using CPU: wrk leaves requests in flight
    when it stops, and a slow server would still be working on them during the next run."""
    deadline = time.monotonic() + timeout
    ticks = tree_cpu_ticks(root_pid)
    while time.monotonic() < deadline:
        time.sleep(IDLE_WINDOW_SECONDS)
        now = tree_cpu_ticks(root_pid)
        used = (now - ticks) / os.sysconf("SC_CLK_TCK") / IDLE_WINDOW_SECONDS
        if used < IDLE_CPU_SHARE:
            return
        ticks = now


def tree_rss_kb(root_pid: int) -> int:
    return sum(_rss_kb(pid) for pid in _tree(root_pid))


def tree_cpu_ticks(root_pid: int) -> int:
    return sum(_cpu_ticks(pid) for pid in _tree(root_pid))


def _tree(root_pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit() and (fields := _stat_fields(entry.name)):
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, pending = [], [root_pid]
    while pending:
        pid = pending.pop()
        found.append(pid)
        pending.extend(children.get(pid, []))
    return found


def _stat_fields(pid: str | int) -> list[str]:
    """/proc/PID/stat from the state field on (state, ppid, ...); [] once the process is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return []
    # The command name may hold spaces and parentheses: fields resume after the last ')'.
    return stat.rsplit(")", 1)[1].split()


def _cpu_ticks(pid: int) -> int:
    fields = _stat_fields(pid)
    return int(fields[11]) + int(fields[12]) if fields else 0  # utime + stime


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0

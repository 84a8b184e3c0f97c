"""`hub serve` as a process of its own, as a newcomer starts it: its console read as it goes."""

from __future__ import annotations

import os
import queue
import re
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ADDRESS = re.compile(r"https?://[^\s]+")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def newcomer_env(**settings: str) -> dict[str, str]:
    """This environment without any HUB_ setting, then these."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HUB_")}
    env["PYTHONUNBUFFERED"] = "1"
    return {**env, **settings}


@dataclass
class Console:
    """What a running process printed (stdout and stderr together), line by line."""

    process: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)
    _fresh: queue.Queue[str] = field(default_factory=queue.Queue)

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._fresh.put(line.rstrip("\n"))

    def wait_for(self, pattern: str, timeout: float = 60) -> re.Match[str]:
        """The first line so far, or to come, matching `pattern`."""
        deadline = time.monotonic() + timeout
        compiled = re.compile(pattern)
        while True:
            for line in self.lines:
                if found := compiled.search(line):
                    return found
            remaining = deadline - time.monotonic()
            if remaining <= 0 or (self.process.poll() is not None and self._fresh.empty()):
                raise AssertionError(f"no line matching {pattern!r} in:\n" + "\n".join(self.lines))
            try:
                self.lines.append(self._fresh.get(timeout=min(remaining, 0.2)))
            except queue.Empty:
                continue

    @property
    def text(self) -> str:
        while not self._fresh.empty():
            self.lines.append(self._fresh.get())
        return "\n".join(self.lines)


@contextmanager
def running(command: Sequence[str], *, cwd: Path, env: dict[str, str]) -> Iterator[Console]:
    """The command running, stopped (interrupted, as Ctrl-C does) on leaving."""
    process = subprocess.Popen(
        list(command),
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    console = Console(process)
    reader = threading.Thread(target=console._read, daemon=True)
    reader.start()
    try:
        yield console
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        reader.join(timeout=5)
        assert process.stdout is not None
        process.stdout.close()

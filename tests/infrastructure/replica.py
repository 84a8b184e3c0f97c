"""A real streaming replica, for the tests and for scripts (bench/).

The CI's PostgreSQL allows no replication connections, and the tests never edit a
system cluster's configuration, so a throwaway primary is made with initdb in a temporary folder
(initdb's own cluster trusts replication on loopback), and its replica with `pg_basebackup -R`
on another free port. Both load pg_stat_statements, so that a test can count what ran where.

    with streaming_pair() as pair:
        pair.primary_url, pair.replica_url   # server URLs (the postgres database)
        pair.pause_replay()                  # the replica lags from here on
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import asyncpg

from tests.infrastructure.pgbouncer import free_port
from tests.infrastructure.postgres import (
    _as_server_user,
    _install_server,
    plain_url,
    server_binaries,
)

SERVER_OPTIONS = (
    "-c listen_addresses=127.0.0.1 -c fsync=off -c shared_preload_libraries=pg_stat_statements"
)
REPLAY_WAIT_SECONDS = 30.0


def _url(port: int, database: str = "postgres") -> str:
    return f"postgresql+asyncpg://postgres@127.0.0.1:{port}/{database}"


async def query_value(url: str, query: str, *args: object) -> object:
    connection = await asyncpg.connect(plain_url(url), timeout=10)
    try:
        return await connection.fetchval(query, *args)
    finally:
        await connection.close()


def fetchval(url: str, query: str, *args: object) -> object:
    """One value from a query, on its own short connection (for tests and scripts)."""
    return asyncio.run(query_value(url, query, *args))


@dataclass
class Cluster:
    binaries: Path
    data: Path
    port: int
    log: Path

    @property
    def url(self) -> str:
        return _url(self.port)

    def _pg_ctl(self, *arguments: str) -> None:
        command = [str(self.binaries / "pg_ctl"), "-D", str(self.data), *arguments]
        subprocess.run(_as_server_user(command), check=True, stdout=subprocess.DEVNULL)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.data.parent} {SERVER_OPTIONS}"
        self._pg_ctl("-l", str(self.log), "-w", "-o", options, "start")

    def stop(self, mode: str = "fast") -> None:
        self._pg_ctl("-m", mode, "-w", "stop")

    def is_running(self) -> bool:
        status = [str(self.binaries / "pg_ctl"), "-D", str(self.data), "status"]
        return subprocess.run(_as_server_user(status), capture_output=True).returncode == 0


@dataclass
class StreamingPair:
    """A primary and its streaming replica, both on loopback, both throwaway."""

    primary: Cluster
    replica: Cluster

    @property
    def primary_url(self) -> str:
        return self.primary.url

    @property
    def replica_url(self) -> str:
        return self.replica.url

    def pause_replay(self) -> None:
        """The replica keeps receiving WAL but applies none of it: it lags from now on."""
        fetchval(self.replica_url, "SELECT pg_wal_replay_pause()")

    def resume_replay(self) -> None:
        fetchval(self.replica_url, "SELECT pg_wal_replay_resume()")

    def wait_for_replay(self) -> None:
        """Returns once the replica has applied everything the primary wrote until now."""
        target = fetchval(self.primary_url, "SELECT pg_current_wal_lsn()")
        deadline = time.monotonic() + REPLAY_WAIT_SECONDS
        query = "SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn"
        while not fetchval(self.replica_url, query, target):
            if time.monotonic() > deadline:
                raise TimeoutError(f"the replica did not replay up to {target}")
            time.sleep(0.02)

    def stop_replica(self) -> None:
        self.replica.stop("immediate")

    def start_replica(self) -> None:
        self.replica.start()


def _initdb(binaries: Path, data: Path) -> None:
    initdb = [str(binaries / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust"]
    subprocess.run(
        _as_server_user([*initdb, "-E", "UTF8", "--no-sync"]),
        check=True,
        stdout=subprocess.DEVNULL,
    )


def _base_backup(binaries: Path, primary: Cluster, data: Path) -> None:
    backup = [str(binaries / "pg_basebackup"), "-D", str(data), "-R", "-X", "stream"]
    source = ["-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres"]
    subprocess.run(_as_server_user([*backup, *source, "--no-sync"]), check=True)


def _binaries() -> Path:
    binaries = server_binaries()
    if binaries is None:
        _install_server()
        binaries = server_binaries()
    if binaries is None:
        raise RuntimeError("no PostgreSQL server binaries (initdb) are installed")
    return binaries


@contextmanager
def streaming_pair() -> Iterator[StreamingPair]:
    """A throwaway primary and a replica streaming from it; both stopped and removed after."""
    binaries = _binaries()
    folder = Path(tempfile.mkdtemp(prefix="hub-replication-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    primary = Cluster(binaries, folder / "primary", free_port(), folder / "primary.log")
    replica = Cluster(binaries, folder / "replica", free_port(), folder / "replica.log")
    try:
        _initdb(binaries, primary.data)
        primary.start()
        _base_backup(binaries, primary, replica.data)
        replica.start()
        pair = StreamingPair(primary, replica)
        fetchval(primary.url, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        pair.wait_for_replay()
        yield pair
    finally:
        for cluster in (replica, primary):
            if cluster.data.exists() and cluster.is_running():
                cluster.stop("immediate")
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    import signal
    import sys

    # SIGTERM (a supervisor, `timeout`) stops and removes what was started, as Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with streaming_pair() as running:
        print("primary:", running.primary_url)
        print("replica:", running.replica_url, flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass

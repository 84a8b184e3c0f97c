"""The PostgreSQL server the suite's second run uses, and the databases it makes there.

The suite never empties a database it did not create: every run makes uniquely named
databases on the server (`scratch_database`) and drops them afterwards. When no server answers
and one is required, a throwaway cluster is started in a temporary folder, never by changing
a system cluster's configuration.
"""

from __future__ import annotations

import asyncio
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

from tests.infrastructure.debian import apt_install

# The server only: the database named in a URL is never used, the suite makes its own.
DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
MAINTENANCE_DATABASE = "postgres"
DEFAULT_PORT = 5432


def plain_url(url: str) -> str:
    """The URL as asyncpg takes it."""
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


def with_database(url: str, database: str) -> str:
    return make_url(url).set(database=database).render_as_string(hide_password=False)


def answers(url: str) -> bool:
    """Whether the server (not necessarily the database) named by `url` accepts us."""

    async def probe() -> bool:
        target = with_database(url, MAINTENANCE_DATABASE)
        try:
            connection = await asyncpg.connect(plain_url(target), timeout=3)
        except (TimeoutError, OSError, asyncpg.PostgresError):
            return False
        await connection.close()
        return True

    return asyncio.run(probe())


async def _maintain(server_url: str, statement: str) -> None:
    target = with_database(server_url, MAINTENANCE_DATABASE)
    connection = await asyncpg.connect(plain_url(target), timeout=10)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


@contextmanager
def scratch_database(server_url: str, prefix: str = "hub_test") -> Iterator[str]:
    """A new, uniquely named, empty database on that server, dropped on leaving."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    asyncio.run(_maintain(server_url, f'CREATE DATABASE "{name}"'))
    try:
        yield with_database(server_url, name)
    finally:
        asyncio.run(_maintain(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def server_binaries() -> Path | None:
    """The newest installed PostgreSQL's bin folder (Debian keeps them off the PATH)."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4])
    )
    return Path(found[-1]).parent if found else None


def _install_server() -> None:
    apt_install("postgresql", lambda: server_binaries() is not None)


def _port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _free_port() -> int:
    if _port_is_free(DEFAULT_PORT):
        return DEFAULT_PORT
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_server_user(command: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root: they run as the postgres user instead.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextmanager
def throwaway_cluster(binaries: Path) -> Iterator[str]:
    """A cluster of its own in a temporary folder (trust on loopback), on 5432 or a free port;
    stopped and removed on leaving. Yields its server URL."""
    folder = Path(tempfile.mkdtemp(prefix="hub-postgres-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    data, port = folder / "data", _free_port()
    initdb = [str(binaries / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust"]
    subprocess.run(_as_server_user([*initdb, "-E", "UTF8", "--no-sync"]), check=True)
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    pg_ctl = [str(binaries / "pg_ctl"), "-D", str(data)]
    start = [*pg_ctl, "-l", str(folder / "log"), "-w", "-o", options, "start"]
    try:
        subprocess.run(_as_server_user(start), check=True)
        yield f"postgresql+asyncpg://postgres@127.0.0.1:{port}/{MAINTENANCE_DATABASE}"
    finally:
        subprocess.run(_as_server_user([*pg_ctl, "-m", "immediate", "stop"]), check=False)
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def postgres_server(url: str, *, may_start: bool) -> Iterator[str | None]:
    """The server to run the suite on: `url`'s if it answers; else, with may_start, a
    throwaway cluster (installing the server package where it is missing); else None."""
    if answers(url):
        yield url
        return
    if not may_start:
        yield None
        return
    if server_binaries() is None:
        _install_server()
    binaries = server_binaries()
    if binaries is None:
        yield None
        return
    with throwaway_cluster(binaries) as started:
        yield started if _answers_soon(started) else None


def _answers_soon(url: str, seconds: int = 30) -> bool:
    for _ in range(seconds):
        if answers(url):
            return True
        time.sleep(1)
    return False

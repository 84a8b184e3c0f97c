"""Finding, starting or installing the PostgreSQL server the suite's second run needs."""

from __future__ import annotations

import asyncio
import glob
import shutil
import subprocess
import time

import asyncpg

DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"


def _plain(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


def answers(url: str) -> bool:
    async def probe() -> bool:
        try:
            connection = await asyncpg.connect(_plain(url), timeout=3)
        except (TimeoutError, OSError, asyncpg.PostgresError):
            return False
        await connection.close()
        return True

    return asyncio.run(probe())


def _database_missing(url: str) -> bool:
    async def probe() -> bool:
        try:
            connection = await asyncpg.connect(_plain(url), timeout=3)
        except asyncpg.InvalidCatalogNameError:
            return True
        except (TimeoutError, OSError, asyncpg.PostgresError):
            return False
        await connection.close()
        return False

    return asyncio.run(probe())


def _run(*command: str) -> None:
    print("+", " ".join(command), flush=True)
    subprocess.run(command, check=False)


def _start_local_cluster() -> None:
    for version_dir in sorted(glob.glob("/etc/postgresql/*")):
        version = version_dir.rsplit("/", 1)[-1]
        _run("pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start")


def _install() -> None:
    if shutil.which("apt-get") is None:
        return
    _run("apt-get", "update", "-qq")
    _run("apt-get", "install", "-y", "-qq", "postgresql")
    # A fresh Debian cluster asks for passwords over TCP; the suite connects as postgres
    # on loopback, as CI's own server allows.
    for hba in glob.glob("/etc/postgresql/*/main/pg_hba.conf"):
        _run("sed", "-i", "-E", r"s/^(host\s+all\s+all\s+\S+\s+)\S+$/\1trust/", hba)


def _create_database(url: str) -> None:
    database = url.rsplit("/", 1)[-1]
    _run("su", "postgres", "-c", f"createdb {database}")


def ensure_postgres(url: str, *, may_install: bool) -> bool:
    """True once a server answers at `url`; starts (and with may_install, installs) one."""
    if answers(url):
        return True
    if _database_missing(url):
        _create_database(url)
        return answers(url)
    if not may_install:
        return False
    if shutil.which("pg_ctlcluster") is None:
        _install()
    _start_local_cluster()
    for _ in range(30):
        if answers(url) or _database_missing(url):
            break
        time.sleep(1)
    if _database_missing(url):
        _create_database(url)
    return answers(url)

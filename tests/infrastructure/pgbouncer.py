"""A real PgBouncer in transaction pooling mode in front of a PostgreSQL server, for the tests
and for scripts (bench/): its own configuration in a temporary folder, a free loopback port,
trust authentication towards a server that trusts loopback. No system configuration is read or
changed. Debian's package is installed with apt-get where it is missing (when running as root),
as tests/infrastructure/browser.py does for chromium.

    with pgbouncer("postgresql+asyncpg://postgres@127.0.0.1:5432/postgres") as bouncer:
        bouncer.url_for("hub_db")   # the same database, through PgBouncer
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from hub.infrastructure.config import DatabasePooler
from tests.infrastructure.debian import apt_install
from tests.infrastructure.postgres import server_binaries

DEBIAN_BINARY = "/usr/sbin/pgbouncer"
START_SECONDS = 10.0


def find_pgbouncer() -> str | None:
    configured = os.environ.get("HUB_PGBOUNCER")
    if configured:
        return configured
    return shutil.which("pgbouncer") or (DEBIAN_BINARY if os.path.exists(DEBIAN_BINARY) else None)


def ensure_pgbouncer() -> str | None:
    """The path of a pgbouncer executable, installing Debian's package when running as root."""
    found = find_pgbouncer()
    if found is None:
        apt_install("pgbouncer", lambda: find_pgbouncer() is not None)
        found = find_pgbouncer()
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Bouncer:
    """A running PgBouncer: where it listens, and the folder holding its log."""

    port: int
    server_url: str
    folder: Path

    def url_for(self, url_or_database: str) -> str:
        """A database URL (or a database name on the server) rewritten to go through PgBouncer."""
        if "://" not in url_or_database:
            url_or_database = (
                make_url(self.server_url)
                .set(database=url_or_database)
                .render_as_string(hide_password=False)
            )
        url = make_url(url_or_database).set(host="127.0.0.1", port=self.port)
        return url.render_as_string(hide_password=False)

    def show(self, what: str) -> list[dict[str, str]]:
        """The rows of the admin console's `SHOW <what>` (STATS, POOLS, CLIENTS, ...). The console
        speaks only the simple query protocol, which psql uses."""
        user = make_url(self.server_url).username or "postgres"
        psql = [_psql(), "-h", "127.0.0.1", "-p", str(self.port), "-U", user, "-d", "pgbouncer"]
        output = subprocess.run(
            [*psql, "-A", "-F", "\t", "-P", "footer=off", "-c", f"SHOW {what}"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        header, *rows = output.splitlines()
        names = header.split("\t")
        return [dict(zip(names, row.split("\t"), strict=True)) for row in rows]

    @property
    def log(self) -> str:
        path = self.folder / "pgbouncer.log"
        return path.read_text() if path.exists() else ""


def _psql() -> str:
    found = shutil.which("psql")
    binaries = server_binaries()
    if found is None and binaries is not None:
        found = str(binaries / "psql")
    if found is None:
        raise RuntimeError("psql is missing (it comes with PostgreSQL's client package)")
    return found


def _configuration(folder: Path, port: int, server_url: str, pool_size: int) -> str:
    server = make_url(server_url)
    user = server.username or "postgres"
    (folder / "userlist.txt").write_text(f'"{user}" ""\n')
    return f"""\
[databases]
* = host={server.host or "127.0.0.1"} port={server.port or 5432} user={user}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = trust
auth_file = {folder / "userlist.txt"}
pool_mode = transaction
default_pool_size = {pool_size}
max_client_conn = 500
server_reset_query =
logfile = {folder / "pgbouncer.log"}
pidfile = {folder / "pgbouncer.pid"}
admin_users = {user}
stats_period = 1
"""


def _as_unprivileged(command: list[str], folder: Path) -> list[str]:
    # PgBouncer refuses to run as root: as root it runs as the postgres user instead.
    if os.geteuid() != 0:
        return command
    shutil.chown(folder, "postgres")
    for child in folder.iterdir():
        shutil.chown(child, "postgres")
    return ["runuser", "-u", "postgres", "--", *command]


def _wait_until_listening(port: int, process: subprocess.Popen[bytes], folder: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = (folder / "pgbouncer.log").read_text(errors="replace")
            raise RuntimeError(f"pgbouncer exited ({process.returncode}):\n{log}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"pgbouncer did not listen on 127.0.0.1:{port}")


@contextmanager
def pgbouncer(server_url: str, *, pool_size: int = 20) -> Iterator[Bouncer]:
    """A PgBouncer in transaction pooling mode in front of the server of `server_url` (a
    server that trusts loopback connections, as the CI's does), stopped on leaving."""
    binary = ensure_pgbouncer()
    if binary is None:
        raise RuntimeError("pgbouncer is not installed and could not be installed")
    folder = Path(tempfile.mkdtemp(prefix="hub-pgbouncer-"))
    port = free_port()
    config = folder / "pgbouncer.ini"
    config.write_text(_configuration(folder, port, server_url, pool_size))
    command = _as_unprivileged([binary, "-q", str(config)], folder)
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_until_listening(port, process, folder)
        yield Bouncer(port=port, server_url=server_url, folder=folder)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(folder, ignore_errors=True)


THROUGH_PGBOUNCER = "HUB_TEST_THROUGH_PGBOUNCER"


@contextmanager
def app_database(database_url: str) -> Iterator[tuple[str, DatabasePooler]]:
    """Where the test app connects, and the pooler setting that goes with it: the test database
    itself, or with HUB_TEST_THROUGH_PGBOUNCER=1 (a PostgreSQL run) the same database through
    a PgBouncer in transaction mode started for the run."""
    if os.environ.get(THROUGH_PGBOUNCER) != "1" or not database_url.startswith("postgresql"):
        yield database_url, "none"
        return
    with pgbouncer(database_url) as bouncer:
        yield bouncer.url_for(database_url), "transaction"


if __name__ == "__main__":
    import signal
    import sys

    target = sys.argv[1] if len(sys.argv) > 1 else "postgresql://postgres@127.0.0.1:5432/postgres"
    # SIGTERM (a supervisor, `timeout`) stops and removes what was started, as Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with pgbouncer(target) as running:
        print(running.url_for(target), flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass

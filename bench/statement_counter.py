"""A TCP proxy in front of PostgreSQL that counts the SQL statements a server sends.

pg_stat_statements needs `shared_preload_libraries` and a server restart, which a shared
development database cannot always have; reading the wire protocol works for any client.
It counts simple queries ('Q') and extended-protocol executions ('E', traced back through
Bind and Parse to their SQL text), and tells transaction control (BEGIN, COMMIT, ...) apart
(and pings) from the statements that do the work. The proxy sits in front of the database only while
statements are counted, never while requests per second are measured. It assumes a
plaintext connection (sslmode=disable, or a server with ssl=off).
"""

from __future__ import annotations

import asyncio
import struct
import threading
from collections import Counter
from dataclasses import dataclass, field

# Startup-phase request codes that keep the connection in the startup phase.
SSL_REQUEST, GSSENC_REQUEST, CANCEL_REQUEST = 80877103, 80877104, 80877102
# Statements that do no work on data: transaction control, and the empty ";" of a pool's ping.
OVERHEAD = ("", "BEGIN", "START", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE")


@dataclass
class Counts:
    statements: int = 0
    overhead: int = 0  # BEGIN, COMMIT, ROLLBACK, pings
    texts: Counter[str] = field(default_factory=Counter)  # how often each SQL text ran


class StatementCounter:
    """Listens on 127.0.0.1:`port` and forwards to PostgreSQL at 127.0.0.1:`upstream_port`."""

    def __init__(self, port: int, upstream_port: int = 5432) -> None:
        self.port = port
        self.upstream_port = upstream_port
        self._counts = Counts()
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def start(self) -> None:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the statement counter did not start")

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def take(self) -> Counts:
        """The counts since the last call, which start again from zero."""
        with self._lock:
            counts, self._counts = self._counts, Counts()
        return counts

    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(
            asyncio.start_server(self._relay, "127.0.0.1", self.port)
        )
        self._ready.set()
        try:
            self._loop.run_forever()
        finally:
            server.close()

    async def _relay(self, client_in: asyncio.StreamReader, client_out: asyncio.StreamWriter):
        server_in, server_out = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        to_client = asyncio.ensure_future(_pipe(server_in, client_out))
        try:
            await self._read_client(client_in, server_out)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            server_out.close()
            to_client.cancel()
            client_out.close()

    async def _read_client(self, reader: asyncio.StreamReader, upstream: asyncio.StreamWriter):
        while True:
            header = await reader.readexactly(8)
            length, code = struct.unpack("!ii", header)
            upstream.write(header + await reader.readexactly(length - 8))
            if code not in (SSL_REQUEST, GSSENC_REQUEST, CANCEL_REQUEST):
                break
        sql_of_statement: dict[bytes, str] = {}
        sql_of_portal: dict[bytes, str] = {}
        while True:
            header = await reader.readexactly(5)
            body = await reader.readexactly(struct.unpack("!i", header[1:])[0] - 4)
            upstream.write(header + body)
            await upstream.drain()
            kind = header[:1]
            if kind == b"Q":
                self._count(body.split(b"\0", 1)[0].decode(errors="replace"))
            elif kind == b"P":
                name, sql = body.split(b"\0", 2)[:2]
                sql_of_statement[name] = sql.decode(errors="replace")
            elif kind == b"B":
                portal, statement = body.split(b"\0", 2)[:2]
                sql_of_portal[portal] = sql_of_statement.get(statement, "")
            elif kind == b"E":
                self._count(sql_of_portal.get(body.split(b"\0", 1)[0], ""))
            elif kind == b"X":
                return

    def _count(self, sql: str) -> None:
        first_word = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""
        with self._lock:
            self._counts.texts[" ".join(sql.split())] += 1
            if first_word.rstrip(";") in OVERHEAD:
                self._counts.overhead += 1
            else:
                self._counts.statements += 1


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while chunk := await reader.read(65536):
            writer.write(chunk)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.close()

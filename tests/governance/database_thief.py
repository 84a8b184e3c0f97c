"""A thief holding a copy of the database and nothing else (or, later, the leaked secret too).

It reads every table raw, the way one would with a stolen file or a read-only connection:
for SQLite it copies the file (and its WAL) and opens the copy with the standard library; for
PostgreSQL it reads every table through a connection of its own, system columns included
(`ctid`, the row's place; `xmin`, the transaction that wrote it). Then it tries every way it
knows to say which seat chose what, and returns what it believes.

It knows the hub's algorithms (as any attacker with the source does): the keyed hash of the
first design, the sealed choices of the present one, and the receipts a closed secret ballot
leaves (it opens them with every key it has, and with any voter's code that leaked)."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from hub.domains.governance.receipts import receipt_for

CHOICES = ("YES", "NO", "ABSTAIN", "BLOCK")
SEALED_WITH_RECEIPT = 1 + 32 + 32  # the choice, then the receipt's lookup hash and key
Claim = tuple[int, int, str]  # (proposal id, seat id, choice)


@dataclass(frozen=True)
class StolenRow:
    table: str
    position: tuple[int, ...]  # rowid on SQLite, ctid on PostgreSQL
    written_by: str | None  # xmin on PostgreSQL
    values: dict[str, Any]


async def steal(database_url: str) -> list[StolenRow]:
    if database_url.startswith("sqlite"):
        return _copy_sqlite_file(database_url)
    return await _read_postgresql(database_url.replace("+asyncpg", "", 1))


@contextmanager
def _copied_sqlite_file(database_url: str) -> Iterator[sqlite3.Connection]:
    """A connection to a copy of the file and its WAL, as taken from the disk."""
    path = Path(database_url.split("///", 1)[1])
    with tempfile.TemporaryDirectory(prefix="stolen-") as folder:
        copy = Path(folder) / "copy.db"
        _copy_from_another_process(path, copy)
        wal = path.with_name(path.name + "-wal")
        if wal.exists():
            _copy_from_another_process(wal, copy.with_name("copy.db-wal"))
        with closing(sqlite3.connect(copy)) as connection:
            yield connection


def _copy_from_another_process(source: Path, target: Path) -> None:
    """Copies a live database's file as a thief would, but from a child process: closing any
    descriptor of the file in this process would drop every POSIX lock SQLite holds on it here,
    and the next process to close the database would then take it for its last user and delete
    the WAL under the suite's open connections ("disk I/O error" for every test after)."""
    subprocess.run(["cp", "--", str(source), str(target)], check=True)


def _copy_sqlite_file(database_url: str) -> list[StolenRow]:
    with _copied_sqlite_file(database_url) as connection:
        return list(_sqlite_rows(connection))


def sqlite_pages(database_url: str) -> bytes:
    """The bytes of a copy of the SQLite file once its WAL is written back into it: every
    page as the database holds it now, free space included."""
    with _copied_sqlite_file(database_url) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        (path,) = [row[2] for row in connection.execute("PRAGMA database_list")]
        return Path(path).read_bytes()


def _sqlite_rows(connection: sqlite3.Connection) -> Iterator[StolenRow]:
    connection.row_factory = sqlite3.Row
    tables = [
        name
        for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    ]
    for table in tables:
        try:
            rows = connection.execute(f'SELECT rowid AS "__position", * FROM "{table}"').fetchall()
        except sqlite3.OperationalError:  # a WITHOUT ROWID table: its order is its key's
            rows = connection.execute(f'SELECT NULL AS "__position", * FROM "{table}"').fetchall()
        for index, row in enumerate(rows):
            values = dict(row)
            position = values.pop("__position")
            yield StolenRow(table, (index if position is None else position,), None, values)


async def _read_postgresql(url: str) -> list[StolenRow]:
    connection = await asyncpg.connect(url)
    try:
        tables = await connection.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        )
        stolen = []
        for (table,) in tables:
            query = f'SELECT ctid::text AS "__ctid", xmin::text AS "__xmin", * FROM "{table}"'
            for record in await connection.fetch(query):
                values = dict(record)
                block, offset = values.pop("__ctid").strip("()").split(",")
                xmin = values.pop("__xmin")
                stolen.append(StolenRow(table, (int(block), int(offset)), xmin, values))
        return stolen
    finally:
        await connection.close()


def choice_in(row: StolenRow) -> str | None:
    """A choice the row holds in plain text, in a column or inside a JSON document."""
    for value in row.values.values():
        for text in _strings(value):
            if text in CHOICES:
                return text
    return None


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
        if value[:1] in ("{", "["):
            with contextlib.suppress(ValueError):
                yield from _strings(json.loads(value))
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


@dataclass
class Thief:
    rows: list[StolenRow]
    leaked_secrets: tuple[str, ...] = ()
    leaked_codes: tuple[str, ...] = ()

    def claims(self, proposal_id: int) -> set[Claim]:
        """Every (proposal, seat, choice) the thief can assert by any of its approaches."""
        return (
            self.read_directly(proposal_id)
            | self.recompute_hashes(proposal_id)
            | self.unseal(proposal_id)
            | self.pair_by_order(proposal_id)
            | self.pair_by_transaction(proposal_id)
            | self.pair_receipts_by_order(proposal_id)
        )

    def of(self, table: str) -> list[StolenRow]:
        return [row for row in self.rows if row.table == table]

    def votes(self, proposal_id: int) -> list[StolenRow]:
        return [row for row in self.of("votes") if row.values["proposal_id"] == proposal_id]

    def seat_ids(self, proposal_id: int) -> list[int]:
        return sorted(row.values["seat_id"] for row in self.votes(proposal_id))

    def read_directly(self, proposal_id: int) -> set[Claim]:
        """A row naming the proposal, a seat and a choice (a vote, an audit entry)."""
        found = set()
        for row in self.rows:
            values, choice = row.values, choice_in(row)
            if choice and values.get("proposal_id") == proposal_id and values.get("seat_id"):
                found.add((proposal_id, values["seat_id"], choice))
        return found

    def candidate_keys(self) -> Iterator[bytes]:
        """Every string or byte string in the database long enough to be a key, the leaked
        secrets, and what the hub's known derivations make of each."""
        secrets = {s.encode() for s in self.leaked_secrets}
        for row in self.rows:
            for value in row.values.values():
                if isinstance(value, str) and len(value) >= 16:
                    secrets.add(value.encode())
                elif isinstance(value, bytes | memoryview) and len(value) >= 16:
                    secrets.add(bytes(value))
        for secret in secrets:
            yield secret
            yield hmac.new(secret, b"coalition-hub:secret-ballot", hashlib.sha256).digest()
            for info in (b"coalition-hub/secret-ballots/v1", b"secret-ballots", b""):
                hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info)
                yield hkdf.derive(secret)

    def recompute_hashes(self, proposal_id: int) -> set[Claim]:
        """Keyed hashes of (proposal, seat) under every candidate key, looked up in every cell."""
        rows_by_cell: dict[str, StolenRow] = {}
        for row in self.rows:
            for value in row.values.values():
                if isinstance(value, str) and len(value) == 64:
                    rows_by_cell[value] = row
        found = set()
        for key in self.candidate_keys():
            for seat_id in self.seat_ids(proposal_id):
                digest = hmac.new(key, f"{proposal_id}:{seat_id}".encode(), hashlib.sha256)
                row = rows_by_cell.get(digest.hexdigest())
                choice = choice_in(row) if row else None
                if choice:
                    found.add((proposal_id, seat_id, choice))
        return found

    def unseal(self, proposal_id: int) -> set[Claim]:
        """Every byte string on a vote, decrypted (AES-GCM, nonce first) under every key."""
        keys = [k for k in self.candidate_keys() if len(k) in (16, 24, 32)]
        found = set()
        for vote in self.votes(proposal_id):
            seat_id = vote.values["seat_id"]
            for value in vote.values.values():
                if not isinstance(value, bytes | memoryview) or len(value) < 29:
                    continue
                for key in keys:
                    choice = _decrypt(key, bytes(value), f"{proposal_id}:{seat_id}".encode())
                    if choice:
                        found.add((proposal_id, seat_id, choice))
        return found

    def unlinked_choices(self, proposal_id: int) -> list[StolenRow]:
        """Rows holding a choice of this proposal with no seat beside it, in physical order."""
        unlinked = [
            row
            for row in self.rows
            if choice_in(row)
            and "seat_id" not in row.values
            and row.values.get("proposal_id") == proposal_id
        ]
        return sorted(unlinked, key=lambda row: (row.table, row.position))

    def seat_orders(self, proposal_id: int) -> Iterator[list[int]]:
        """The seats in every order a database shows: the votes by time, id and place, and
        the audit trail's first and last vote entries."""
        votes = self.votes(proposal_id)
        for column in ("created_at", "updated_at", "id"):
            yield [v.values["seat_id"] for v in sorted(votes, key=lambda v: v.values[column])]
        yield [v.values["seat_id"] for v in sorted(votes, key=lambda v: v.position)]
        events = sorted(
            (
                e
                for e in self.of("governance_events")
                if e.values["proposal_id"] == proposal_id and e.values["seat_id"] is not None
            ),
            key=lambda e: e.values["id"],
        )
        seats = [e.values["seat_id"] for e in events]
        yield list(dict.fromkeys(seats))
        yield list(dict.fromkeys(reversed(seats)))[::-1]

    def pair_by_order(self, proposal_id: int) -> set[Claim]:
        choices = [choice_in(row) for row in self.unlinked_choices(proposal_id)]
        found = set()
        for seats in self.seat_orders(proposal_id):
            if len(seats) == len(choices):
                found |= {(proposal_id, s, str(c)) for s, c in zip(seats, choices, strict=True)}
        return found

    def pair_by_transaction(self, proposal_id: int) -> set[Claim]:
        """PostgreSQL: a choice written by the same transaction as a vote is that vote's."""
        found = set()
        for row in self.unlinked_choices(proposal_id):
            for vote in self.votes(proposal_id):
                if row.written_by is not None and row.written_by == vote.written_by:
                    found.add((proposal_id, vote.values["seat_id"], str(choice_in(row))))
        return found

    def receipts(self, proposal_id: int) -> list[StolenRow]:
        rows = self.of("ballot_receipts")
        return sorted(
            (r for r in rows if r.values["proposal_id"] == proposal_id), key=lambda r: r.position
        )

    def open_receipts(self, proposal_id: int) -> list[str | None]:
        """Each receipt's choice in the rows' physical order, where any key it holds opens
        it: the candidate keys, and the keys of the leaked voters' codes."""
        keys = [k for k in self.candidate_keys() if len(k) in (16, 24, 32)]
        keys += [receipt_for(proposal_id, code).key for code in self.leaked_codes]
        opened = []
        for row in self.receipts(proposal_id):
            lookup, sealed = bytes(row.values["receipt_hash"]), bytes(row.values["sealed_choice"])
            bound = f"{proposal_id}:".encode() + lookup
            found = (_decrypt(key, sealed, bound) for key in keys)
            opened.append(next((choice for choice in found if choice), None))
        return opened

    def pair_receipts_by_order(self, proposal_id: int) -> set[Claim]:
        """Opened receipts lined up with the seats in every order the copy shows."""
        choices = self.open_receipts(proposal_id)
        if not choices or None in choices:
            return set()
        found = set()
        for seats in self.seat_orders(proposal_id):
            if len(seats) == len(choices):
                found |= {(proposal_id, s, str(c)) for s, c in zip(seats, choices, strict=True)}
        return found


def _decrypt(key: bytes, sealed: bytes, associated: bytes) -> str | None:
    for aad in (associated, None):
        try:
            plain = AESGCM(key).decrypt(sealed[:12], sealed[12:], aad)
        except InvalidTag:
            continue
        return _choice_from(plain)
    return None


def _choice_from(plain: bytes) -> str | None:
    text = plain.decode(errors="replace")
    if text in CHOICES:
        return text
    known_length = len(plain) in (1, SEALED_WITH_RECEIPT)
    return CHOICES[plain[0]] if known_length and plain[0] < len(CHOICES) else None


def truth(cast: Iterable[tuple[int, int, str]]) -> set[Claim]:
    """The last choice of each seat, as the hub should count it."""
    last: dict[tuple[int, int], str] = {}
    for proposal_id, seat_id, choice in cast:
        last[(proposal_id, seat_id)] = choice
    return {(p, s, c) for (p, s), c in last.items()}

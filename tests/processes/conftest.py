"""Several hub processes at once, each a real subprocess of its own."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.infrastructure.postgres import scratch_database


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[str]:
    """A new database of its own, with no schema at all: on the PostgreSQL server that
    HUB_TEST_DATABASE_URL names (dropped afterwards), else an SQLite file not yet made."""
    shared = os.environ.get("HUB_TEST_DATABASE_URL", "")
    if not shared.startswith("postgresql"):
        yield f"sqlite+aiosqlite:///{tmp_path / 'processes.db'}"
        return
    with scratch_database(shared, prefix="hub_processes") as url:
        yield url

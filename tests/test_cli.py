"""The `hub` command, run as a newcomer would, on its own SQLite file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from hub.graphql.schema import schema


def hub(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HUB_")}
    return subprocess.run(
        [sys.executable, "-m", "hub", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("newcomer")


def test_demo_loads_once_into_the_default_sqlite_file(workdir):
    first = hub("demo", cwd=workdir)
    second = hub("demo", cwd=workdir)

    assert first.returncode == 0, first.stderr
    assert "Loaded demo data: 48 organizations" in first.stdout
    assert (workdir / "hub.db").exists()
    assert second.returncode == 1
    assert "already holds data: demo data was not loaded" in second.stderr


def test_admin_add_creates_then_promotes(workdir):
    created = hub("admin", "add", "Maria@Example.org", "--name", "María Peña", cwd=workdir)
    promoted = hub("admin", "add", "maria@example.org", "--name", "ignored", cwd=workdir)
    refused = hub("admin", "add", "not-an-email", "--name", "X", cwd=workdir)

    assert created.stdout.strip() == "Created María Peña <maria@example.org> as an alliance admin."
    assert (
        promoted.stdout.strip() == "Promoted María Peña <maria@example.org> as an alliance admin."
    )
    assert refused.returncode == 2
    assert "That email address is not valid" in refused.stderr


def test_token_is_printed_for_known_people_only(workdir):
    known = hub("token", "staff@example.org", cwd=workdir)
    unknown = hub("token", "nobody@example.org", cwd=workdir)

    assert known.returncode == 0
    assert known.stdout.count(".") == 2  # a compact JWT: header.claims.signature
    assert unknown.returncode == 2
    assert unknown.stderr.strip() == "Error: nobody has the email nobody@example.org."


def test_export_schema_writes_the_served_sdl(tmp_path):
    result = hub("export-schema", "--output", str(tmp_path / "out.graphql"), cwd=tmp_path)

    assert result.returncode == 0
    assert (tmp_path / "out.graphql").read_text(encoding="utf-8") == schema.as_str() + "\n"

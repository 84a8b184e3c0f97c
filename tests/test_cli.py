"""The `hub` command, run as a newcomer would, on its own SQLite file."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
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


DEMO_VOTE = [
    (
        'mutation { createProposal(input: {title: "A demo secret vote"}) '
        "{ proposal { id } errors { code } } }"
    ),
    (
        "mutation ($id: ID!) { updateProposal(input: {id: $id, status: DISCUSSION}) "
        "{ errors { code } } }"
    ),
    (
        "mutation ($id: ID!) { openVoting(input: {proposalId: $id, rule: MAJORITY, quorum: 0.05, "
        'ballot: SECRET, closesAt: "2099-01-01T00:00:00+00:00"}) { errors { code } } }'
    ),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_served(base: str, server: subprocess.Popen[str]) -> None:
    for _ in range(300):
        assert server.poll() is None, server.communicate()
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError("the demo did not start")


def test_serve_demo_without_a_secret_key_holds_a_secret_ballot_to_its_count(tmp_path):
    # Given `hub serve --demo` started with no HUB_SECRET_KEY at all
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("HUB_")}
    server = subprocess.Popen(
        [sys.executable, "-m", "hub", "serve", "--demo", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_served(base, server)

        # When the admin opens a SECRET ballot, a seat holder votes, and the admin closes it
        admin = hub("token", "staff@example.org", cwd=tmp_path).stdout.strip()

        def ask(token: str, query: str, variables: dict[str, str] | None = None) -> Any:
            body = {"query": query, "variables": variables or {}}
            headers = {"Authorization": f"Bearer {token}"}
            answer = httpx.post(f"{base}/graphql", json=body, headers=headers, timeout=30)
            return answer.json()["data"]

        created = ask(admin, DEMO_VOTE[0])["createProposal"]["proposal"]["id"]
        steps = [ask(admin, step, {"id": created}) for step in DEMO_VOTE[1:]]
        seats = ask(admin, "{ committee { holder { email } } }")["committee"]
        holder = hub("token", seats[0]["holder"]["email"], cwd=tmp_path).stdout.strip()
        cast = ask(
            holder,
            "mutation ($id: ID!) { castVote(input: {proposalId: $id, choice: YES}) "
            "{ errors { code } } }",
            {"id": created},
        )
        ask(
            admin,
            "mutation ($id: ID!) { closeVoting(input: {proposalId: $id}) { errors { code } } }",
            {"id": created},
        )
        tally = ask(
            admin,
            "query ($id: ID!) { node(id: $id) { ... on Proposal { tally { yes seatsVoted } } } }",
            {"id": created},
        )
    finally:
        server.terminate()
        server.communicate(timeout=30)

    # Then the demo held the ballot under its own process-held key, and counted it
    assert [next(iter(step.values()))["errors"] for step in steps] == [[], []]
    assert cast == {"castVote": {"errors": []}}
    assert tally == {"node": {"tally": {"yes": 1, "seatsVoted": 1}}}

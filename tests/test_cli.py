"""The `hub` command, run as a newcomer would, on its own SQLite file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from hub.interfaces.graphql.schema import schema
from tests.infrastructure.served import free_port, newcomer_env, running


def hub(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return hub_in(newcomer_env(), *args, cwd=cwd, timeout=120)


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
    assert known.stdout.startswith("hub_pat_")  # a personal access token, as /me makes them
    assert unknown.returncode == 2
    assert unknown.stderr.strip() == "Error: nobody has the email nobody@example.org."


def test_export_schema_writes_the_served_sdl(tmp_path):
    result = hub("export-schema", "--output", str(tmp_path / "out.graphql"), cwd=tmp_path)

    assert result.returncode == 0
    assert (tmp_path / "out.graphql").read_text(encoding="utf-8") == schema.as_str() + "\n"


# A server that should have refused to start is stopped after this many seconds.
REFUSAL_SECONDS = 30
UNREACHABLE_POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:{port}/hub"
GOOD_SECRET = "k" * 48


def hub_in(
    env: dict[str, str], *args: str, cwd: Path, timeout: float = REFUSAL_SECONDS
) -> subprocess.CompletedProcess[str]:
    """`hub ARGS` that is expected to end by itself; one that serves instead fails the test."""
    try:
        return subprocess.run(
            [sys.executable, "-m", "hub", *args],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as served:
        raise AssertionError(f"`hub {' '.join(args)}` kept running: {served.output!r}") from None


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    return lines[0]


@pytest.mark.parametrize(
    ("key", "why"),
    [
        (None, "HUB_SECRET_KEY is not set"),
        ("s" * 31, "HUB_SECRET_KEY is too short (31 bytes, at least 32)"),
        ("change-me-in-production-to-a-long-random-value", "HUB_SECRET_KEY is a published example"),
    ],
)
def test_serve_refuses_a_missing_short_or_published_secret_key(tmp_path, key, why):
    env = newcomer_env(**({"HUB_SECRET_KEY": key} if key else {}))

    refused = hub_in(env, "serve", "--port", str(free_port()), cwd=tmp_path)

    assert refused.returncode == 2
    assert one_line(refused) == (
        f"Error: {why}. Generate a key with: "
        "python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"
    )


def test_serve_starts_with_a_long_random_key(tmp_path):
    port = free_port()
    env = newcomer_env(HUB_SECRET_KEY=GOOD_SECRET)
    assert hub_in(env, "migrate", cwd=tmp_path).returncode == 0

    with running(
        [sys.executable, "-m", "hub", "serve", "--port", str(port)], cwd=tmp_path, env=env
    ) as console:
        console.wait_for(r"Uvicorn running on")
        health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=10)

    assert health.json() == {"status": "ok"}


def test_a_port_out_of_range_is_refused(tmp_path):
    refused = hub_in(
        newcomer_env(HUB_SECRET_KEY=GOOD_SECRET), "serve", "--port", "99999", cwd=tmp_path
    )

    assert refused.returncode == 2
    assert "Invalid value for '--port': Input should be less than or equal to 65535" in (
        refused.stderr
    )


@pytest.mark.parametrize("command", [["migrate"], ["demo"], ["serve"], ["serve", "--demo"]])
@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("nonsense://x", "HUB_DATABASE_URL is not a database URL the hub can use ('nonsense://x')"),
        (
            "postgresql://postgres@127.0.0.1/hub",
            "HUB_DATABASE_URL is not a database URL the hub can use ('postgresql://postgres@127.0.0.1/hub')",
        ),
    ],
)
def test_a_wrong_database_url_is_one_line_with_a_hint(tmp_path, command, url, why):
    env = newcomer_env(HUB_DATABASE_URL=url, HUB_SECRET_KEY=GOOD_SECRET)

    refused = hub_in(env, *command, cwd=tmp_path)

    assert refused.returncode == 2
    assert one_line(refused) == (
        f"Error: {why}. Use sqlite+aiosqlite:///FILE or postgresql+asyncpg://USER@HOST:PORT/DATABASE."
    )


@pytest.mark.parametrize("command", [["migrate"], ["demo"], ["serve"], ["serve", "--demo"]])
def test_an_unreachable_database_is_one_line_with_a_hint(tmp_path, command):
    url = UNREACHABLE_POSTGRES.format(port=free_port())
    env = newcomer_env(HUB_DATABASE_URL=url, HUB_SECRET_KEY=GOOD_SECRET)

    refused = hub_in(env, *command, cwd=tmp_path)

    assert refused.returncode == 1
    line = one_line(refused)
    assert line.startswith(f"Error: the database at HUB_DATABASE_URL ({url}) does not answer: ")
    assert line.endswith(". Check HUB_DATABASE_URL and that the database is running.")
    assert not (tmp_path / "hub.db").exists()


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
DEMO_CAST = (
    "mutation ($id: ID!) { castVote(input: {proposalId: $id, choice: YES}) { errors { code } } }"
)
DEMO_CLOSE = "mutation ($id: ID!) { closeVoting(input: {proposalId: $id}) { errors { code } } }"
DEMO_TALLY = "query ($id: ID!) { node(id: $id) { ... on Proposal { tally { yes seatsVoted } } } }"


def test_serve_demo_without_a_secret_key_holds_a_secret_ballot_to_its_count(tmp_path):
    # Given `hub serve --demo` started with no HUB_SECRET_KEY at all
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "hub", "serve", "--demo", "--port", str(port)]
    with running(command, cwd=tmp_path, env=newcomer_env()) as console:
        console.wait_for(r"Uvicorn running on")

        def ask(token: str, query: str, variables: dict[str, str] | None = None) -> Any:
            body = {"query": query, "variables": variables or {}}
            headers = {"Authorization": f"Bearer {token}"}
            answer = httpx.post(f"{base}/graphql", json=body, headers=headers, timeout=30)
            return answer.json()["data"]

        def token(email: str) -> str:
            # A token for the served address, which the demo's tokens name as their issuer.
            env = newcomer_env(HUB_BASE_URL=base)
            return hub_in(env, "token", email, cwd=tmp_path).stdout.strip()

        # When the admin opens a SECRET ballot, a seat holder votes, and the admin closes it
        admin = token("staff@example.org")
        created = ask(admin, DEMO_VOTE[0])["createProposal"]["proposal"]["id"]
        steps = [ask(admin, step, {"id": created}) for step in DEMO_VOTE[1:]]
        seats = ask(admin, "{ committee { holder { email } } }")["committee"]
        holder = token(seats[0]["holder"]["email"])
        cast = ask(holder, DEMO_CAST, {"id": created})
        ask(admin, DEMO_CLOSE, {"id": created})
        tally = ask(admin, DEMO_TALLY, {"id": created})

    # Then the demo held the ballot under its own process-held key, and counted it
    assert [next(iter(step.values()))["errors"] for step in steps] == [[], []]
    assert cast == {"castVote": {"errors": []}}
    assert tally == {"node": {"tally": {"yes": 1, "seatsVoted": 1}}}

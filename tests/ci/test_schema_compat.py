"""`.ci/schema_compat.py`: a breaking schema change fails CI unless it was deprecated first."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.database_independent

SCRIPT = Path(__file__).resolve().parents[2] / ".ci" / "schema_compat.py"

V1 = """
type Query {
  organizations: [Organization!]!
}

type Organization {
  name: String!
  website: String
  kind: Kind!
}

enum Kind { MEMBER PEER }
"""


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def repository(tmp_path: Path, *versions: str) -> Path:
    """A git repository whose history commits schema.graphql at each version in turn."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "ci@example.org")
    git(repo, "config", "user.name", "CI")
    for number, sdl in enumerate(versions):
        (repo / "schema.graphql").write_text(sdl, encoding="utf-8")
        git(repo, "add", "schema.graphql")
        git(repo, "commit", "-q", "-m", f"version {number}")
    return repo


def check(repo: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--schema", str(repo / "schema.graphql")],
        capture_output=True,
        text=True,
    )


def test_passes_when_there_is_no_earlier_schema(tmp_path):
    repo = repository(tmp_path, V1)

    done = check(repo)

    assert done.returncode == 0
    assert "no earlier schema" in done.stdout


def test_a_removed_field_fails(tmp_path):
    # Given a committed schema, and a change that drops a field clients may read
    repo = repository(tmp_path, V1)
    (repo / "schema.graphql").write_text(V1.replace("  website: String\n", ""), encoding="utf-8")

    # When CI checks it
    done = check(repo)

    # Then it fails and names the change
    assert done.returncode == 1
    assert "BREAKING: FIELD_REMOVED: Field Organization.website was removed." in done.stdout


def test_a_committed_breaking_change_fails_against_the_previous_version(tmp_path):
    changed = V1.replace("  name: String!", "  name: Int!")
    repo = repository(tmp_path, V1, changed)

    done = check(repo)

    assert done.returncode == 1
    assert "FIELD_CHANGED_KIND" in done.stdout
    assert "the previous version" in done.stdout


def test_removing_a_field_deprecated_first_passes(tmp_path):
    # Given a release that deprecated the field, then a change that removes it
    deprecated = V1.replace(
        "  website: String\n", '  website: String @deprecated(reason: "Use links.")\n'
    )
    repo = repository(tmp_path, V1, deprecated)
    (repo / "schema.graphql").write_text(V1.replace("  website: String\n", ""), encoding="utf-8")

    done = check(repo)

    assert done.returncode == 0, done.stdout
    assert "nothing breaks" in done.stdout


def test_removing_a_deprecated_enum_value_passes_and_an_undeprecated_one_fails(tmp_path):
    deprecated = V1.replace("enum Kind { MEMBER PEER }", "enum Kind { MEMBER PEER @deprecated }")
    repo = repository(tmp_path, deprecated)
    without_peer = deprecated.replace(" PEER @deprecated", "")
    without_member = deprecated.replace(" MEMBER", "")

    (repo / "schema.graphql").write_text(without_peer, encoding="utf-8")
    assert check(repo).returncode == 0
    (repo / "schema.graphql").write_text(without_member, encoding="utf-8")
    assert check(repo).returncode == 1


def test_dangerous_changes_are_printed_but_pass(tmp_path):
    repo = repository(tmp_path, V1)
    (repo / "schema.graphql").write_text(V1.replace("MEMBER PEER", "MEMBER PEER ALLY"), "utf-8")

    done = check(repo)

    assert done.returncode == 0
    assert "dangerous: VALUE_ADDED_TO_ENUM: Enum value Kind.ALLY was added." in done.stdout


def test_compares_with_the_merge_base_when_origin_main_exists(tmp_path):
    # Given main at V1, a branch that later deprecated nothing and removed a field
    repo = repository(tmp_path, V1)
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    git(repo, "checkout", "-q", "-b", "feature")
    (repo / "schema.graphql").write_text(V1.replace("  website: String\n", ""), "utf-8")
    git(repo, "commit", "-q", "-am", "drop website")

    done = check(repo)

    assert done.returncode == 1
    assert "the merge base with origin/main" in done.stdout

#!/usr/bin/env python3
"""Fails when schema.graphql breaks what clients already use, unless it was deprecated first.

The schema is compared with the one at the merge base with origin/main or, when there is no
such ref (a shallow checkout, a fresh repository), with the latest committed version of
schema.graphql that differs from the current file. With no earlier schema there is nothing
to break. Dangerous changes (new enum values, changed defaults ...) are printed, not failed.

Usage: schema_compat.py [--schema PATH]   (PATH defaults to schema.graphql, inside a git tree)
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

from graphql import GraphQLSchema, build_schema
from graphql.utilities import (
    BreakingChange,
    BreakingChangeType,
    find_breaking_changes,
    find_dangerous_changes,
)

# How find_breaking_changes words the changes a deprecation can announce.
_FIELD = re.compile(r"^Field (?P<type>\w+)\.(?P<field>\w+) (was removed|changed type)")
_ARGUMENT = re.compile(r"^Argument (?P<type>\w+)\.(?P<field>\w+)\((?P<arg>\w+):\)")
_ENUM_VALUE = re.compile(r"^Enum value (?P<type>\w+)\.(?P<value>\w+) was removed\.$")


def git(repo: Path, *args: str) -> str | None:
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True)
    return done.stdout if done.returncode == 0 else None


def earlier_schema(repo: Path, relative: str, current: str) -> tuple[str, str] | None:
    """(where it came from, its SDL), or None when there is no earlier schema."""
    if git(repo, "rev-parse", "--verify", "--quiet", "origin/main") is not None:
        base = (git(repo, "merge-base", "HEAD", "origin/main") or "").strip()
        old = git(repo, "show", f"{base}:{relative}") if base else None
        return (f"the merge base with origin/main ({base[:12]})", old) if old else None
    for commit in (git(repo, "log", "--format=%H", "--", relative) or "").split():
        old = git(repo, "show", f"{commit}:{relative}")
        if old is not None and old != current:
            return f"the previous version ({commit[:12]})", old
    return None


def deprecated_first(old: GraphQLSchema, change: BreakingChange) -> bool:
    """Whether the old schema already deprecated what this change removes or changes."""
    description = change.description
    if change.type in (BreakingChangeType.FIELD_REMOVED, BreakingChangeType.FIELD_CHANGED_KIND):
        found = _FIELD.match(description)
        field = _field(old, found["type"], found["field"]) if found else None
        return bool(field is not None and field.deprecation_reason)
    if change.type in (BreakingChangeType.ARG_REMOVED, BreakingChangeType.ARG_CHANGED_KIND):
        found = _ARGUMENT.match(description)
        field = _field(old, found["type"], found["field"]) if found else None
        argument = field.args.get(found["arg"]) if field is not None and found else None
        return bool(argument is not None and argument.deprecation_reason)
    if change.type == BreakingChangeType.VALUE_REMOVED_FROM_ENUM:
        found = _ENUM_VALUE.match(description)
        enum = old.get_type(found["type"]) if found else None
        value = getattr(enum, "values", {}).get(found["value"]) if found else None
        return bool(value is not None and value.deprecation_reason)
    return False


def _field(schema: GraphQLSchema, type_name: str, field_name: str):  # type: ignore[no-untyped-def]
    return getattr(schema.get_type(type_name), "fields", {}).get(field_name)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schema", default="schema.graphql", type=Path)
    path = parser.parse_args(argv).schema.resolve()
    repo = path.parent
    top = (git(repo, "rev-parse", "--show-toplevel") or str(repo)).strip()
    relative = path.relative_to(Path(top).resolve()).as_posix()
    current = path.read_text(encoding="utf-8")
    earlier = earlier_schema(repo, relative, current)
    if earlier is None:
        print("schema compatibility: no earlier schema to compare with; nothing can break.")
        return 0
    source, old_sdl = earlier
    old, new = build_schema(old_sdl), build_schema(current)
    for change in find_dangerous_changes(old, new):
        print(f"dangerous: {change.type.name}: {change.description}")
    breaking = [c for c in find_breaking_changes(old, new) if not deprecated_first(old, c)]
    for change in breaking:
        print(f"BREAKING: {change.type.name}: {change.description}")
    if breaking:
        print(
            f"schema compatibility: {len(breaking)} breaking change(s) against {source}. "
            "Deprecate first (@deprecated(reason: ...)), release, and remove later."
        )
        return 1
    print(f"schema compatibility: nothing breaks against {source}.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

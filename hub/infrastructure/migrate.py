"""Bringing a database to the newest schema, from the command line or from tests, and telling
whether a database's schema is the one this code expects."""

from __future__ import annotations

import enum
import functools
import logging
from dataclasses import dataclass

from sqlalchemy import ColumnClause, String, column, inspect, select, table
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from hub.infrastructure.shipped import MIGRATIONS

# Alembic announces each of its plugins at INFO as it is first imported: every serving process
# imports it (for /readyz), and its log would open with a dozen such lines.
logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)

from alembic import command  # noqa: E402 (after the line above)
from alembic.config import Config  # noqa: E402
from alembic.script import ScriptDirectory  # noqa: E402
from alembic.util import CommandError  # noqa: E402

# Alembic's own table (its default name), holding the revision a database is at.
VERSION_TABLE = "alembic_version"
VERSION_TABLE_COLUMN: ColumnClause[str] = column("version_num", String)
_VERSIONS = table(VERSION_TABLE, VERSION_TABLE_COLUMN)


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["url"] = database_url
    return config


def upgrade_to_head(database_url: str) -> None:
    """Runs every pending migration; a database already at head is left as it is. Several
    processes may run it at once: they take turns (migrations/env.py)."""
    command.upgrade(alembic_config(database_url), "head")


class SchemaState(enum.StrEnum):
    CURRENT = "current"
    # At a revision this code does not know: a newer release migrated it. Its schema only
    # added to this one (migrations expand first, contract a release later), so this code
    # still runs on it, as a rolling deploy needs.
    AHEAD = "ahead"
    BEHIND = "behind"
    EMPTY = "empty"

    @property
    def serves(self) -> bool:
        return self in (SchemaState.CURRENT, SchemaState.AHEAD)


@dataclass(frozen=True)
class Schema:
    state: SchemaState
    revisions: tuple[str, ...]

    def refusal(self) -> str:
        """Why a hub process will not run on this database, in one line naming the fix."""
        if self.state == SchemaState.EMPTY:
            return "Error: the database has no schema yet. Run `hub migrate` first."
        found, head = ", ".join(self.revisions), ", ".join(sorted(code_heads()))
        return (
            f"Error: the database's schema ({found}) is behind this hub's ({head}). "
            "Run `hub migrate` first."
        )


@functools.cache
def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config(""))


def code_heads() -> frozenset[str]:
    return frozenset(_scripts().get_heads())


def schema_of(connection: Connection) -> Schema:
    """The database's migration revisions, against the code's head. (Read here rather than
    through alembic's MigrationContext, which logs two lines each time: /readyz asks often.)"""
    revisions: tuple[str, ...] = ()
    if inspect(connection).has_table(VERSION_TABLE):
        found = connection.execute(select(VERSION_TABLE_COLUMN).select_from(_VERSIONS)).scalars()
        revisions = tuple(sorted(found))
    return Schema(_state(revisions), revisions)


def _state(revisions: tuple[str, ...]) -> SchemaState:
    if not revisions:
        return SchemaState.EMPTY
    if frozenset(revisions) == code_heads():
        return SchemaState.CURRENT
    try:
        for revision in revisions:
            _scripts().get_revision(revision)
    except CommandError:  # alembic's "Can't locate revision"
        return SchemaState.AHEAD
    return SchemaState.BEHIND


async def schema_in(engine: AsyncEngine) -> Schema:
    async with engine.connect() as connection:
        return await connection.run_sync(schema_of)

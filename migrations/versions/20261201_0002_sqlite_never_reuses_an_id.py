"""SQLite never reuses an id: every table keyed by an integer gets AUTOINCREMENT

Without it, SQLite gives the largest id, once its row is deleted, to the next row: a deleted
person's token then signed in as the next person created. PostgreSQL's sequences never hand out
an id twice, so there this migration does nothing.

SQLite cannot add AUTOINCREMENT to a table: each one is rebuilt (Alembic's batch mode: a new
table, the rows copied, the old table dropped, the new one renamed). migrations/env.py turns
foreign keys off for the migration, or dropping the old table would cascade into the tables
that refer to it; the rebuilt tables are checked with PRAGMA foreign_key_check.

Tables are found by reflection, not from the models, so that this migration keeps meaning what
it means today. A later batch migration on SQLite must pass
table_kwargs={"sqlite_autoincrement": True}, or the rebuilt table loses it again
(tests/test_migrations.py would say so).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 11:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    _rebuild_integer_key_tables(autoincrement=True)


def downgrade() -> None:
    _rebuild_integer_key_tables(autoincrement=False)


def _rebuild_integer_key_tables(*, autoincrement: bool) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    for table in _integer_key_tables(bind):
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
        ):
            pass
    broken = bind.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"rebuilding the tables broke foreign keys: {broken[:5]}")


def _integer_key_tables(bind: sa.engine.Connection) -> list[str]:
    inspector = sa.inspect(bind)
    tables = []
    for name in inspector.get_table_names():
        key = inspector.get_pk_constraint(name)["constrained_columns"]
        if name == "alembic_version" or len(key) != 1:
            continue
        column = next(c for c in inspector.get_columns(name) if c["name"] == key[0])
        if isinstance(column["type"], sa.Integer):
            tables.append(name)
    return tables

"""directory: folded search columns, archived organizations, removed people

Revision ID: 0011
Revises: 0012
Create Date: 2026-12-01 17:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from hub.infrastructure.search import folded

revision: str = "0011"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("organizations", "people")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, table_kwargs={"sqlite_autoincrement": True}) as batch:
            batch.add_column(
                sa.Column("search_text", sa.String(400), server_default="", nullable=False)
            )
            batch.add_column(
                sa.Column(
                    "archived_at" if table == "organizations" else "removed_at",
                    sa.DateTime(timezone=True),
                    nullable=True,
                )
            )
            batch.create_index(f"ix_{table}_search_text", ["search_text"], unique=False)
        _backfill(table)


def _backfill(table: str) -> None:
    """Every existing name, folded as hub.infrastructure.search.folded folds it (SQL has no portable way)."""
    bind = op.get_bind()
    rows = bind.execute(sa.text(f"SELECT id, name FROM {table}")).all()
    if rows:
        bind.execute(
            sa.text(f"UPDATE {table} SET search_text = :folded WHERE id = :id"),
            [{"id": row.id, "folded": folded(row.name)} for row in rows],
        )


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, table_kwargs={"sqlite_autoincrement": True}) as batch:
            batch.drop_index(f"ix_{table}_search_text")
            batch.drop_column("archived_at" if table == "organizations" else "removed_at")
            batch.drop_column("search_text")

"""request keys: a double-submitted form writes once

Revision ID: 0016
Revises: 0014
Create Date: 2026-12-01 17:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import hub.infrastructure.models.base

revision: str = "0016"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MOMENT = hub.infrastructure.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "request_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_request_keys")),
        sa.UniqueConstraint("key", name=op.f("uq_request_keys_key")),
        # SQLite never reuses an id (see 0002); PostgreSQL ignores this.
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    op.drop_table("request_keys")

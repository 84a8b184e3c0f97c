"""proposal creation keys: a create form submitted twice makes one proposal

Revision ID: 0015
Revises: 0013
Create Date: 2026-12-01 17:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("proposals", sa.Column("creation_key", sa.String(length=64), nullable=True))
    op.create_index(
        "uq_proposals_created_by_id_creation_key",
        "proposals",
        ["created_by_id", "creation_key"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("uq_proposals_created_by_id_creation_key", table_name="proposals")
    with op.batch_alter_table("proposals", table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        batch_op.drop_column("creation_key")

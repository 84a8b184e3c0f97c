"""convening creation keys: a form submitted twice schedules once

Revision ID: 0012
Revises: 0015
Create Date: 2026-12-01 17:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table(
        "convenings", schema=None, table_kwargs={"sqlite_autoincrement": True}
    ) as batch_op:
        batch_op.add_column(sa.Column("creation_key", sa.String(length=120), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_convenings_creation_key"), ["creation_key"]
        )


def downgrade() -> None:
    with op.batch_alter_table(
        "convenings", schema=None, table_kwargs={"sqlite_autoincrement": True}
    ) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_convenings_creation_key"), type_="unique")
        batch_op.drop_column("creation_key")

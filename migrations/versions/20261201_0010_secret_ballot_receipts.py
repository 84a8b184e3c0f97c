"""secret ballot receipts: counted ballots as their voters' codes find them

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 15:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # No id, seat, person or time: the rows' only order is their receipt hashes'.
    op.create_table(
        "ballot_receipts",
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("receipt_hash", sa.LargeBinary(length=32), nullable=False),
        sa.Column("sealed_choice", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposals.id"],
            name=op.f("fk_ballot_receipts_proposal_id_proposals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("proposal_id", "receipt_hash", name=op.f("pk_ballot_receipts")),
    )


def downgrade() -> None:
    op.drop_table("ballot_receipts")

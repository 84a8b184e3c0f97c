"""the decision register: follow-up actions on decided proposals

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 15:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import hub.infrastructure.models.base

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MOMENT = hub.infrastructure.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "follow_up_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("what", sa.String(length=500), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "OPEN",
                "DONE",
                "DROPPED",
                name="status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at", MOMENT, server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.Column(
            "updated_at", MOMENT, server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["people.id"],
            name=op.f("fk_follow_up_actions_created_by_id_people"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_follow_up_actions_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposals.id"],
            name=op.f("fk_follow_up_actions_proposal_id_proposals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up_actions")),
        # SQLite never reuses an id (see 0002); PostgreSQL ignores this.
        sqlite_autoincrement=True,
    )
    for column in ("created_by_id", "organization_id", "proposal_id"):
        op.create_index(
            op.f(f"ix_follow_up_actions_{column}"), "follow_up_actions", [column], unique=False
        )


def downgrade() -> None:
    for column in ("proposal_id", "organization_id", "created_by_id"):
        op.drop_index(op.f(f"ix_follow_up_actions_{column}"), table_name="follow_up_actions")
    op.drop_table("follow_up_actions")

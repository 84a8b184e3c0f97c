"""host tools: messages to a convening's attendees, and walk-ins registered at the door

Revision ID: 0013
Revises: 0016
Create Date: 2026-12-01 17:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "attendee_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("convening_id", sa.Integer(), nullable=False),
        sa.Column("sent_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "audience",
            sa.Enum(
                "GOING",
                "WAITLISTED",
                "ALL",
                name="audience",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("subject_es", sa.String(length=200), nullable=False),
        sa.Column("text_es", sa.Text(), nullable=False),
        sa.Column("recipient_count", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=64), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["convening_id"],
            ["convenings.id"],
            name=op.f("fk_attendee_messages_convening_id_convenings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sent_by_id"],
            ["people.id"],
            name=op.f("fk_attendee_messages_sent_by_id_people"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendee_messages")),
        sa.UniqueConstraint(
            "convening_id",
            "idempotency_key",
            name=op.f("uq_attendee_messages_convening_id_idempotency_key"),
        ),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_attendee_messages_convening_id_id", "attendee_messages", ["convening_id", "id"]
    )
    op.create_index(op.f("ix_attendee_messages_sent_by_id"), "attendee_messages", ["sent_by_id"])
    with op.batch_alter_table("rsvps", table_kwargs={"sqlite_autoincrement": True}) as rsvps:
        rsvps.add_column(
            sa.Column("walk_in", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        rsvps.add_column(sa.Column("walk_in_key", sa.String(length=64), nullable=True))
        rsvps.add_column(sa.Column("walk_in_organization", sa.String(length=200), nullable=True))
        rsvps.create_unique_constraint(
            op.f("uq_rsvps_convening_id_walk_in_key"), ["convening_id", "walk_in_key"]
        )


def downgrade() -> None:
    with op.batch_alter_table("rsvps", table_kwargs={"sqlite_autoincrement": True}) as rsvps:
        rsvps.drop_constraint(op.f("uq_rsvps_convening_id_walk_in_key"), type_="unique")
        rsvps.drop_column("walk_in_organization")
        rsvps.drop_column("walk_in_key")
        rsvps.drop_column("walk_in")
    op.drop_index(op.f("ix_attendee_messages_sent_by_id"), table_name="attendee_messages")
    op.drop_index("ix_attendee_messages_convening_id_id", table_name="attendee_messages")
    op.drop_table("attendee_messages")

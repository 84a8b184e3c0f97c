"""discussion, amendments and text versions of proposals; reasons on recorded votes

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import hub.infrastructure.models.base

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "proposal_amendments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("seat_id", sa.Integer(), nullable=True),
        sa.Column("proposed_by_id", sa.Integer(), nullable=True),
        sa.Column("base_version", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "PENDING",
                "ACCEPTED",
                "REJECTED",
                name="status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "decided_at", hub.infrastructure.models.base.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column(
            "created_at",
            hub.infrastructure.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            hub.infrastructure.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["people.id"],
            name=op.f("fk_proposal_amendments_decided_by_id_people"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposals.id"],
            name=op.f("fk_proposal_amendments_proposal_id_proposals"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["proposed_by_id"],
            ["people.id"],
            name=op.f("fk_proposal_amendments_proposed_by_id_people"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["seat_id"],
            ["committee_seats.id"],
            name=op.f("fk_proposal_amendments_seat_id_committee_seats"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposal_amendments")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("proposal_amendments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_proposal_amendments_decided_by_id"), ["decided_by_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_proposal_amendments_proposal_id"), ["proposal_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_proposal_amendments_proposed_by_id"), ["proposed_by_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_proposal_amendments_seat_id"), ["seat_id"], unique=False
        )

    op.create_table(
        "proposal_comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "VISIBLE",
                "WITHDRAWN",
                "HIDDEN",
                name="status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "edited_at", hub.infrastructure.models.base.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("hidden_reason", sa.String(length=500), nullable=True),
        sa.Column("hidden_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at",
            hub.infrastructure.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            hub.infrastructure.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["people.id"],
            name=op.f("fk_proposal_comments_author_id_people"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["hidden_by_id"],
            ["people.id"],
            name=op.f("fk_proposal_comments_hidden_by_id_people"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["proposal_comments.id"],
            name=op.f("fk_proposal_comments_parent_id_proposal_comments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposals.id"],
            name=op.f("fk_proposal_comments_proposal_id_proposals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposal_comments")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("proposal_comments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_proposal_comments_author_id"), ["author_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_proposal_comments_hidden_by_id"), ["hidden_by_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_proposal_comments_parent_id"), ["parent_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_proposal_comments_proposal_id"), ["proposal_id"], unique=False
        )

    op.create_table(
        "proposal_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("amendment_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at", hub.infrastructure.models.base.UTCDateTime(timezone=True), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["amendment_id"],
            ["proposal_amendments.id"],
            name=op.f("fk_proposal_versions_amendment_id_proposal_amendments"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["people.id"],
            name=op.f("fk_proposal_versions_created_by_id_people"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposals.id"],
            name=op.f("fk_proposal_versions_proposal_id_proposals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposal_versions")),
        sa.UniqueConstraint(
            "proposal_id", "number", name=op.f("uq_proposal_versions_proposal_id_number")
        ),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("proposal_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_proposal_versions_amendment_id"), ["amendment_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_proposal_versions_created_by_id"), ["created_by_id"], unique=False
        )

    # A rebuilt votes table keeps AUTOINCREMENT (see 0002).
    with op.batch_alter_table("votes", table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        batch_op.add_column(sa.Column("reason", sa.String(length=500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("votes", table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        batch_op.drop_column("reason")

    with op.batch_alter_table("proposal_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proposal_versions_created_by_id"))
        batch_op.drop_index(batch_op.f("ix_proposal_versions_amendment_id"))

    op.drop_table("proposal_versions")
    with op.batch_alter_table("proposal_comments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proposal_comments_proposal_id"))
        batch_op.drop_index(batch_op.f("ix_proposal_comments_parent_id"))
        batch_op.drop_index(batch_op.f("ix_proposal_comments_hidden_by_id"))
        batch_op.drop_index(batch_op.f("ix_proposal_comments_author_id"))

    op.drop_table("proposal_comments")
    with op.batch_alter_table("proposal_amendments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proposal_amendments_seat_id"))
        batch_op.drop_index(batch_op.f("ix_proposal_amendments_proposed_by_id"))
        batch_op.drop_index(batch_op.f("ix_proposal_amendments_proposal_id"))
        batch_op.drop_index(batch_op.f("ix_proposal_amendments_decided_by_id"))

    op.drop_table("proposal_amendments")

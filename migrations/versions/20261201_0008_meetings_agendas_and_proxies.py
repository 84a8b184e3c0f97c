"""committee meetings: agendas, proxies, votes taken in a meeting and cast by proxy

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import hub.infrastructure.models.base

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MOMENT = hub.infrastructure.models.base.UTCDateTime(timezone=True)
ACTIVE_PROXY = sa.text("revoked_at IS NULL")


def _timestamps() -> list[sa.Column[object]]:
    return [
        sa.Column(
            "created_at", MOMENT, server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.Column(
            "updated_at", MOMENT, server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
    ]


def upgrade() -> None:
    op.create_table(
        "agenda_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("convening_id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        *_timestamps(),
        sa.CheckConstraint("position > 0", name=op.f("ck_agenda_items_position_positive")),
        sa.ForeignKeyConstraint(
            ["convening_id"],
            ["convenings.id"],
            name=op.f("fk_agenda_items_convening_id_convenings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposals.id"],
            name=op.f("fk_agenda_items_proposal_id_proposals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_items")),
        sa.UniqueConstraint(
            "convening_id", "position", name=op.f("uq_agenda_items_convening_id_position")
        ),
        sa.UniqueConstraint(
            "convening_id", "proposal_id", name=op.f("uq_agenda_items_convening_id_proposal_id")
        ),
        # SQLite never reuses an id (see 0002); PostgreSQL ignores this.
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_agenda_items_proposal_id"), "agenda_items", ["proposal_id"])
    op.create_table(
        "proxies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seat_id", sa.Integer(), nullable=False),
        sa.Column("to_seat_id", sa.Integer(), nullable=False),
        sa.Column("holder_id", sa.Integer(), nullable=False),
        sa.Column("convening_id", sa.Integer(), nullable=True),
        sa.Column("proposal_id", sa.Integer(), nullable=True),
        sa.Column("granted_by_id", sa.Integer(), nullable=True),
        sa.Column("revoked_at", MOMENT, nullable=True),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        *_timestamps(),
        sa.CheckConstraint(
            "(convening_id IS NULL) <> (proposal_id IS NULL)",
            name=op.f("ck_proxies_one_meeting_or_proposal"),
        ),
        sa.ForeignKeyConstraint(
            ["seat_id"],
            ["committee_seats.id"],
            name=op.f("fk_proxies_seat_id_committee_seats"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["to_seat_id"],
            ["committee_seats.id"],
            name=op.f("fk_proxies_to_seat_id_committee_seats"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["holder_id"],
            ["people.id"],
            name=op.f("fk_proxies_holder_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["convening_id"],
            ["convenings.id"],
            name=op.f("fk_proxies_convening_id_convenings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposals.id"],
            name=op.f("fk_proxies_proposal_id_proposals"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["granted_by_id"],
            ["people.id"],
            name=op.f("fk_proxies_granted_by_id_people"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["revoked_by_id"],
            ["people.id"],
            name=op.f("fk_proxies_revoked_by_id_people"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proxies")),
        sqlite_autoincrement=True,
    )
    for column in ("to_seat_id", "holder_id", "convening_id", "proposal_id"):
        op.create_index(op.f(f"ix_proxies_{column}"), "proxies", [column])
    for column in ("granted_by_id", "revoked_by_id"):
        op.create_index(op.f(f"ix_proxies_{column}"), "proxies", [column])
    for target in ("convening_id", "proposal_id"):
        op.create_index(
            f"uq_proxies_seat_id_{target}",
            "proxies",
            ["seat_id", target],
            unique=True,
            postgresql_where=ACTIVE_PROXY,
            sqlite_where=ACTIVE_PROXY,
        )
    with op.batch_alter_table(
        "proposals", table_kwargs={"sqlite_autoincrement": True}
    ) as proposals:
        proposals.add_column(sa.Column("meeting_id", sa.Integer(), nullable=True))
        proposals.create_index(op.f("ix_proposals_meeting_id"), ["meeting_id"])
        proposals.create_foreign_key(
            op.f("fk_proposals_meeting_id_convenings"),
            "convenings",
            ["meeting_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("votes", table_kwargs={"sqlite_autoincrement": True}) as votes:
        votes.add_column(
            sa.Column(
                "cast_as",
                sa.Enum(
                    "HOLDER",
                    "ALTERNATE",
                    "PROXY",
                    name="cast_as",
                    native_enum=False,
                    create_constraint=True,
                    length=32,
                ),
                nullable=True,
            )
        )
        votes.add_column(sa.Column("proxy_id", sa.Integer(), nullable=True))
        votes.create_index(op.f("ix_votes_proxy_id"), ["proxy_id"])
        votes.create_foreign_key(
            op.f("fk_votes_proxy_id_proxies"), "proxies", ["proxy_id"], ["id"], ondelete="SET NULL"
        )


def downgrade() -> None:
    with op.batch_alter_table("votes", table_kwargs={"sqlite_autoincrement": True}) as votes:
        votes.drop_constraint(op.f("fk_votes_proxy_id_proxies"), type_="foreignkey")
        votes.drop_index(op.f("ix_votes_proxy_id"))
        votes.drop_column("proxy_id")
        votes.drop_constraint(op.f("ck_votes_cast_as"), type_="check")
        votes.drop_column("cast_as")
    with op.batch_alter_table(
        "proposals", table_kwargs={"sqlite_autoincrement": True}
    ) as proposals:
        proposals.drop_constraint(op.f("fk_proposals_meeting_id_convenings"), type_="foreignkey")
        proposals.drop_index(op.f("ix_proposals_meeting_id"))
        proposals.drop_column("meeting_id")
    op.drop_table("proxies")
    op.drop_index(op.f("ix_agenda_items_proposal_id"), table_name="agenda_items")
    op.drop_table("agenda_items")

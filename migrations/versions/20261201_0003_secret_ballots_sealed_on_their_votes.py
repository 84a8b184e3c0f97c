"""secret ballots: each choice sealed on its vote; the table of unlinked choices goes

`secret_ballots` kept each choice in plain text under a keyed hash of (proposal, seat): its
rows' order (rowid, ctid) and the transactions that wrote them (xmin) paired every choice with
its seat's vote, and with the key kept in the database the hashes named the seats outright. A
secret choice is now `votes.sealed_choice`, sealed under a key from the environment and erased
when the ballot closes (hub/domains/governance/ballot_box.py).

The rows of closed ballots are dropped with the table: their counts are stored on the
proposal, and dropping them is the erasure a closed ballot is owed. A ballot still open cannot
be carried over (its choices would have to be sealed, and a migration holds no key): the
upgrade refuses until every secret ballot has closed. The downgrade refuses while any sealed
choice exists, for the same reason the other way round.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 11:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    _refuse_if(
        "SELECT count(*) FROM secret_ballots JOIN proposals ON proposals.id = proposal_id "
        "WHERE proposals.closed_at IS NULL",
        "secret ballots are still open: close them with the previous version, then migrate",
    )
    with op.batch_alter_table("votes", table_kwargs={"sqlite_autoincrement": True}) as votes:
        votes.add_column(sa.Column("sealed_choice", sa.LargeBinary(), nullable=True))
    op.drop_table("secret_ballots")


def downgrade() -> None:
    _refuse_if(
        "SELECT count(*) FROM votes WHERE sealed_choice IS NOT NULL",
        "secret ballots are still open: close them, then downgrade",
    )
    op.create_table(
        "secret_ballots",
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("ballot_key", sa.String(length=64), nullable=False),
        sa.Column(
            "choice",
            sa.Enum(
                "YES",
                "NO",
                "ABSTAIN",
                "BLOCK",
                name="choice",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposals.id"],
            name=op.f("fk_secret_ballots_proposal_id_proposals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("proposal_id", "ballot_key", name=op.f("pk_secret_ballots")),
    )
    with op.batch_alter_table("votes", table_kwargs={"sqlite_autoincrement": True}) as votes:
        votes.drop_column("sealed_choice")


def _refuse_if(count_query: str, reason: str) -> None:
    if op.get_bind().execute(sa.text(count_query)).scalar():
        raise RuntimeError(f"Migration {revision} refused: {reason}.")

"""`hub suppressions`: the addresses the hub does not mail, listed and lifted from the command
line (registered in hub/cli.py). A lift is written to the admins' audit trail."""

from __future__ import annotations

from typing import Annotated

import typer

from hub.config import Settings

suppressions_app = typer.Typer(
    help="Addresses the hub does not mail (bounced, reported as spam, unsubscribed).",
    no_args_is_help=True,
)


@suppressions_app.command("list")
def list_suppressions() -> None:
    """Lists suppressed addresses: address, reason, since when, SendGrid's detail."""
    from hub.cli import _run_or_explain, _session
    from hub.email.suppressions import suppressions_by_email

    async def run() -> None:
        async with _session(Settings.from_env()) as session:
            rows = list(await session.scalars(suppressions_by_email()))
        for row in rows:
            typer.echo(f"{row.email}  {row.reason}  {row.created_at:%Y-%m-%d %H:%M}  {row.detail}")
        if not rows:
            typer.echo("No address is suppressed.")

    _run_or_explain(run)


@suppressions_app.command("lift")
def lift_suppression(
    email: str,
    reason: Annotated[
        str, typer.Option(help="Why the address may be mailed again (kept in the audit trail).")
    ],
) -> None:
    """Lets the hub mail EMAIL again."""
    from hub.cli import _run_or_explain, _session
    from hub.email.suppressions import lift
    from hub.models.base import utcnow

    async def run() -> None:
        async with _session(Settings.from_env()) as session:
            lifted = await lift(
                session,
                email,
                reason=reason,
                actor_id=None,
                via="on the command line",
                now=utcnow(),
            )
        typer.echo(f"Lifted the suppression of {lifted.email} (it was {lifted.reason}).")

    _run_or_explain(run)

"""The `hub` command."""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import AsyncIterator, Callable, Coroutine, MutableMapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from hub.infrastructure.config import (
    DEFAULT_DATABASE_URL,
    ConfigurationError,
    Settings,
    check_production_secret,
)
from hub.infrastructure.observability.logging import logging_config

if TYPE_CHECKING:
    from hub.infrastructure.migrate import Schema

app = typer.Typer(
    help="Coalition Hub: run it, migrate it, and look after it.", no_args_is_help=True
)
admin_app = typer.Typer(help="Alliance admins.", no_args_is_help=True)
app.add_typer(admin_app, name="admin")
client_app = typer.Typer(help="API clients: peers' and partners' systems.", no_args_is_help=True)
app.add_typer(client_app, name="client")
# The addresses the hub does not mail, listed and lifted; a lift enters the admins' audit trail.
suppressions_app = typer.Typer(
    help="Addresses the hub does not mail (bounced, reported as spam, unsubscribed).",
    no_args_is_help=True,
)
app.add_typer(suppressions_app, name="suppressions")


# What a database that does not answer raises, through SQLAlchemy or straight from a driver.
DATABASE_FAILURES = (DBAPIError, OSError)


def main() -> None:
    """The `hub` command. A setting it cannot use, or a database that does not answer, is one
    line saying what to do, not a traceback."""
    try:
        app(prog_name="hub")
    except ConfigurationError as error:
        typer.echo(f"Error: {error}", err=True)
        raise SystemExit(2) from None
    except DATABASE_FAILURES as error:
        url = os.environ.get("HUB_DATABASE_URL") or DEFAULT_DATABASE_URL
        pooled = os.environ.get("HUB_DATABASE_POOLER") == "transaction"
        if asyncio.run(_answers(url, transaction_pooler=pooled)):
            raise  # the database is fine: this is a bug, and its traceback is wanted
        typer.echo(_unreachable(url, error), err=True)
        raise SystemExit(1) from None


def _unreachable(url: str, error: BaseException) -> str:
    from sqlalchemy.engine import make_url

    cause = error.orig if isinstance(error, DBAPIError) and error.orig else error
    detail = " ".join(str(cause).split()).rstrip(".") or type(cause).__name__
    shown = make_url(url).render_as_string(hide_password=True)
    return (
        f"Error: the database at HUB_DATABASE_URL ({shown}) does not answer: {detail}. "
        "Check HUB_DATABASE_URL and that the database is running."
    )


async def _select_one(url: str, *, transaction_pooler: bool) -> None:
    from sqlalchemy import text

    from hub.infrastructure.db import create_engine

    engine = create_engine(url, transaction_pooler=transaction_pooler)
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    finally:
        await engine.dispose()


async def _answers(url: str, *, transaction_pooler: bool) -> bool:
    try:
        await _select_one(url, transaction_pooler=transaction_pooler)
    except DATABASE_FAILURES:
        return False
    return True


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(help="Processes to serve with.")] = 1,
    demo: Annotated[
        bool, typer.Option("--demo", help="Migrate, and load demo data if the database is empty.")
    ] = False,
) -> None:
    """Serves the website at / and the API at /graphql (GraphiQL in a browser)."""
    import uvicorn

    settings = Settings.from_env()
    if demo:
        _hold_a_demo_ballot_key(os.environ)
        migrate()
        asyncio.run(_load_demo(settings, refuse_if_loaded=False))
        # No `hub worker` needed for the demo: its job is done in the serving process.
        os.environ.setdefault("HUB_DELIVER_IN_PROCESS", "1")
    else:
        check_production_secret(settings.secret_key)
        _require_current_schema(settings)
    address = _served_address(host, port)
    # Links and tokens name the address served, unless HUB_BASE_URL gives the public one.
    os.environ["HUB_SERVED_URL"] = address
    typer.echo(f"The website: {address}/")
    typer.echo(f"GraphiQL:    {address}/graphql")
    if demo:
        from hub.demo.directory import ADMIN_EMAIL

        typer.echo(f"Demo: email (sign-in links too) is printed here. The admin: {ADMIN_EMAIL}")
    # The hub decides whom to believe about client addresses (HUB_TRUSTED_PROXIES):
    # uvicorn's own X-Forwarded-For handling, on by default for 127.0.0.1, stays off.
    uvicorn.run(
        "hub.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=False,
        # On SIGTERM uvicorn stops accepting at once, then waits this long for the requests
        # in flight before cancelling them.
        timeout_graceful_shutdown=settings.shutdown_grace_seconds,
        # The hub writes one line per request itself (hub/infrastructure/observability/requests.py),
        # with its request id and without the path's tokens.
        access_log=False,
        log_config=logging_config(settings.log_format),
    )


def _served_address(host: str, port: int) -> str:
    """How a browser on this machine reaches the server: every-address binds by loopback."""
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _require_current_schema(settings: Settings) -> None:
    """A hub process runs only on a database migrated to its schema (or a newer one, during
    a rolling deploy): on an empty or older one it would fail request by request instead."""
    from hub.infrastructure.migrate import SchemaState

    schema = asyncio.run(_schema(settings))
    if not schema.state.serves:
        typer.echo(schema.refusal(), err=True)
        raise typer.Exit(code=1)
    if schema.state == SchemaState.AHEAD:
        typer.echo(
            f"Note: the database's schema ({', '.join(schema.revisions)}) is newer than this "
            "hub's: a newer release migrated it.",
            err=True,
        )


async def _schema(settings: Settings) -> Schema:
    from hub.infrastructure.migrate import schema_in

    engine = _engine(settings)
    try:
        return await schema_in(engine)
    finally:
        await engine.dispose()


def _engine(settings: Settings) -> AsyncEngine:
    """An engine for a command's own work, fit for a transaction pooler when behind one."""
    from hub.infrastructure.db import create_engine

    pooled = settings.database_pooler == "transaction"
    return create_engine(settings.database_url, transaction_pooler=pooled)


def _hold_a_demo_ballot_key(environ: MutableMapping[str, str]) -> None:
    """A demo without HUB_SECRET_KEY still holds secret ballots: sealed under a key that lives
    in the environment of the demo's processes (uvicorn's workers inherit it), never in the
    database. It dies with them: a restarted demo cannot count a secret ballot opened before
    (SECRET_BALLOT_KEY_CHANGED); set HUB_SECRET_KEY for a demo that must."""
    if not environ.get("HUB_SECRET_KEY") and not environ.get("HUB_DEMO_BALLOT_KEY"):
        environ["HUB_DEMO_BALLOT_KEY"] = secrets.token_hex(32)


@app.command()
def migrate() -> None:
    """Brings the database to the newest schema."""
    from hub.infrastructure.migrate import upgrade_to_head

    settings = Settings.from_env()
    upgrade_to_head(settings.database_url)
    typer.echo("The database is at the newest schema.")


@app.command()
def demo() -> None:
    """Loads believable demo data into an empty database (and refuses a second time)."""
    migrate()
    loaded = asyncio.run(_load_demo(Settings.from_env(), refuse_if_loaded=True))
    if not loaded:
        raise typer.Exit(code=1)


async def _load_demo(settings: Settings, *, refuse_if_loaded: bool) -> bool:
    from hub.demo import DemoAlreadyLoaded, load_demo

    async with _session(settings) as session:
        try:
            summary = await load_demo(session)
        except DemoAlreadyLoaded:
            message = "The database already holds data: demo data was not loaded."
            typer.echo(message, err=refuse_if_loaded)
            return False
    typer.echo(f"Loaded demo data: {summary}.")
    return True


@admin_app.command("add")
def admin_add(
    email: str, name: Annotated[str, typer.Option(help="The admin's full name.")]
) -> None:
    """Creates an alliance admin, or promotes an existing person."""
    from hub.common.errors import InputError
    from hub.domains.directory.people import make_admin

    async def run() -> None:
        async with _session(Settings.from_env()) as session:
            person, created = await make_admin(session, email, name)
            verb = "Created" if created else "Promoted"
            typer.echo(f"{verb} {person.name} <{person.email}> as an alliance admin.")

    try:
        asyncio.run(run())
    except InputError as error:
        typer.echo(f"Error: {error.message}", err=True)
        raise typer.Exit(code=2) from error


@admin_app.command("remove")
def admin_remove(email: str) -> None:
    """Takes away a person's admin rights (audited); never the last admin's."""
    from hub.domains.directory.admins import revoke_admin
    from hub.infrastructure.models.base import utcnow

    async def run() -> None:
        async with _session(Settings.from_env()) as session:
            person = await revoke_admin(session, email, actor_id=None, now=utcnow())
            typer.echo(f"{person.name} <{person.email}> is no longer an alliance admin.")

    _run_or_explain(run)


@app.command()
def token(
    email: str,
    days: Annotated[int, typer.Option(help="How many days the token stays valid.")] = 30,
    name: Annotated[str, typer.Option(help="What the token is for, as its person sees it.")] = (
        "Made with hub token"
    ),
    read_only: Annotated[
        bool, typer.Option("--read-only", help="A token that may only read.")
    ] = False,
) -> None:
    """Prints a personal access token for the person with this email (they see it, and may
    revoke it, on their page)."""
    from datetime import timedelta

    from hub.access.auth.personal_tokens import READ, WRITE, make_personal_token
    from hub.common.errors import InputError
    from hub.domains.directory.people import person_by_email
    from hub.infrastructure.models.base import utcnow

    async def run() -> str:
        async with _session(Settings.from_env()) as session:
            person = await person_by_email(session, email)
            if person is None:
                raise _NoSuchPerson(email)
            now = utcnow()
            made = await make_personal_token(
                session,
                person_id=person.id,
                name=name,
                scopes=frozenset({READ} if read_only else {READ, WRITE}),
                expires_at=now + timedelta(days=days),
                now=now,
            )
            return made.secret

    try:
        typer.echo(asyncio.run(run()))
    except _NoSuchPerson as error:
        typer.echo(f"Error: nobody has the email {error}.", err=True)
        raise typer.Exit(code=2) from error
    except InputError as error:
        typer.echo(f"Error: {' '.join(each.message for each in error.errors)}", err=True)
        raise typer.Exit(code=2) from error


class _NoSuchPerson(LookupError):
    pass


@app.command()
def worker(
    once: Annotated[
        bool, typer.Option("--once", help="Deliver what is due now, then exit.")
    ] = False,
    poll_seconds: Annotated[float, typer.Option(help="Seconds between passes.")] = 10.0,
    batch_size: Annotated[int, typer.Option(help="Messages sent at once.", min=1)] = 1,
) -> None:
    """Delivers queued email and enqueues due reminders (backend: HUB_EMAIL_BACKEND). On
    SIGTERM or Ctrl-C it finishes the messages it is sending, then stops; a second signal
    stops it at once."""
    import logging.config

    from hub.delivery.outbox.policy import RetryPolicy
    from hub.infrastructure.db import create_session_factory
    from hub.infrastructure.observability.worker import observed_worker
    from hub.worker import outbox_worker, run_until_signalled

    settings = Settings.from_env()
    _require_current_schema(settings)
    logging.config.dictConfig(logging_config(settings.log_format))

    async def start() -> None:
        engine = _engine(settings)
        sessions = create_session_factory(engine)
        outbox = outbox_worker(sessions, settings, policy=RetryPolicy(batch_size=batch_size))
        try:
            async with observed_worker(settings, engine):
                await run_until_signalled(
                    outbox,
                    once=once,
                    poll_seconds=poll_seconds,
                    grace=settings.shutdown_grace_seconds,
                )
        finally:
            await engine.dispose()

    asyncio.run(start())
    if not once:
        typer.echo("The worker stopped.", err=True)


@app.command("export-schema")
def export_schema(
    output: Annotated[Path, typer.Option(help="Where to write the SDL.")] = Path("schema.graphql"),
) -> None:
    """Writes the served GraphQL schema as SDL."""
    from hub.interfaces.graphql.schema import schema

    output.write_text(schema.as_str() + "\n", encoding="utf-8")
    typer.echo(f"Wrote {output}.")


@client_app.command("add")
def client_add(
    name: str,
    org: Annotated[str, typer.Option(help="The slug of the organization the client acts for.")],
    scope: Annotated[list[str], typer.Option(help="A scope to grant; repeat for more.")],
) -> None:
    """Registers an API client and prints its id and secret (shown this once only)."""
    from hub.access.auth.clients import register_client

    async def run() -> None:
        async with _session(Settings.from_env()) as session:
            registered = await register_client(session, name, org, scope)
        typer.echo(f"client_id:     {registered.client.client_id}")
        typer.echo(f"client_secret: {registered.secret}")
        typer.echo("Keep the secret now: the hub stores only a hash of it.")

    _run_or_explain(run)


@client_app.command("list")
def client_list() -> None:
    """Lists API clients: id, organization, scopes, and whether revoked."""
    from hub.access.auth.clients import list_clients

    async def run() -> None:
        async with _session(Settings.from_env()) as session:
            for client, org_slug in await list_clients(session):
                state = f"revoked {client.revoked_at:%Y-%m-%d}" if client.revoked_at else "active"
                scopes = " ".join(client.scopes)
                typer.echo(f"{client.client_id}  {client.name}  {org_slug}  {scopes}  {state}")

    _run_or_explain(run)


@client_app.command("revoke")
def client_revoke(client_id: str) -> None:
    """Revokes an API client: its tokens stop working at once."""
    from hub.access.auth.clients import revoke_client

    async def run() -> None:
        async with _session(Settings.from_env()) as session:
            client = await revoke_client(session, client_id)
        typer.echo(f"Revoked {client.client_id} ({client.name}).")

    _run_or_explain(run)


def _run_or_explain(command: Callable[[], Coroutine[Any, Any, None]]) -> None:
    from hub.common.errors import InputError

    try:
        asyncio.run(command())
    except InputError as error:
        typer.echo(f"Error: {error.message}", err=True)
        raise typer.Exit(code=2) from error


@asynccontextmanager
async def _session(settings: Settings) -> AsyncIterator[AsyncSession]:
    """One committed unit of work on a short-lived engine, for one-shot commands."""
    from hub.infrastructure.db import create_session_factory, transaction

    engine = _engine(settings)
    try:
        async with transaction(create_session_factory(engine)) as session:
            yield session
    finally:
        await engine.dispose()


@suppressions_app.command("list")
def list_suppressions() -> None:
    """Lists suppressed addresses: address, reason, since when, SendGrid's detail."""
    from hub.delivery.email.suppressions import suppressions_by_email

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
    from hub.delivery.email.suppressions import lift
    from hub.infrastructure.models.base import utcnow

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

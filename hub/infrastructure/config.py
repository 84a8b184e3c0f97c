"""Settings from the environment, read in one place."""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

EmailBackend = Literal["console", "sendgrid"]
LogFormat = Literal["text", "json"]
# What sits between the hub and PostgreSQL: nothing, or a pooler that hands a server connection
# to a client for one transaction at a time (PgBouncer's pool_mode = transaction).
DatabasePooler = Literal["none", "transaction"]
DATABASE_POOLERS = ("none", "transaction")
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///hub.db"
DEFAULT_BASE_URL = "http://127.0.0.1:8000"
DEFAULT_TIME_ZONE = "America/Los_Angeles"
# The hub talks to its databases through asyncio drivers only.
DATABASE_DRIVERS = ("sqlite+aiosqlite", "postgresql+asyncpg")
DATABASE_URL_FORMS = "sqlite+aiosqlite:///FILE or postgresql+asyncpg://USER@HOST:PORT/DATABASE"
SECRET_KEY_MIN_BYTES = 32
GENERATE_SECRET_KEY = "python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"
# Keys printed in this project's files, past or present: anyone can sign tokens with them.
PUBLISHED_SECRET_KEYS = frozenset({"change-me-in-production-to-a-long-random-value"})


class ConfigurationError(ValueError):
    """A setting the hub cannot work with; the message says which and what to do."""


def check_database_url(url: str) -> str:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        driver = make_url(url).drivername
    except ArgumentError:
        driver = None
    if driver not in DATABASE_DRIVERS:
        raise ConfigurationError(
            f"HUB_DATABASE_URL is not a database URL the hub can use ({url!r}). "
            f"Use {DATABASE_URL_FORMS}."
        )
    return url


def check_production_secret(key: str | None) -> None:
    """Outside the demo, tokens are signed with a key nobody else can know."""
    if not key:
        problem = "HUB_SECRET_KEY is not set"
    elif key in PUBLISHED_SECRET_KEYS:
        problem = "HUB_SECRET_KEY is a published example"
    elif len(key.encode()) < SECRET_KEY_MIN_BYTES:
        size = len(key.encode())
        problem = f"HUB_SECRET_KEY is too short ({size} bytes, at least {SECRET_KEY_MIN_BYTES})"
    else:
        return
    raise ConfigurationError(f"{problem}. Generate a key with: {GENERATE_SECRET_KEY}")


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    # Connections each hub process keeps to PostgreSQL, and never more: a request finding
    # them all busy waits for one, rather than opening (and soon closing) another.
    database_pool_size: int = 10
    # "transaction" when HUB_DATABASE_URL is a transaction pooler (PgBouncer): then no session
    # state outlives a transaction (README, "Behind PgBouncer").
    database_pooler: DatabasePooler = "none"
    # A streaming replica of the database, for reads (hub/database_routing.py); and the lag
    # beyond which it is skipped and reads go to the primary.
    database_replica_url: str | None = None
    replica_max_lag_seconds: float = 5.0
    secret_key: str | None = None
    # Set by `hub serve --demo` when HUB_SECRET_KEY is not: a key held by the demo's processes
    # (never stored), so that a demo can hold secret ballots while it runs.
    demo_ballot_key: str | None = None
    base_url: str = DEFAULT_BASE_URL
    # Issuers accepted besides base_url. Without HUB_BASE_URL, a hub served on another port
    # names that address but still accepts the tokens `hub token` mints for the default one.
    other_token_issuers: frozenset[str] = frozenset()
    email_backend: EmailBackend = "console"
    sendgrid_api_key: str | None = None
    sendgrid_host: str = "https://api.sendgrid.com"
    email_from: str = "hub@example.org"
    # Whom people write to when the hub cannot email them (an address that bounced); the
    # sender's address unless set.
    contact_email: str | None = None
    # The committee's zone: its voting windows, and any time of no convening, read in it.
    time_zone: str = DEFAULT_TIME_ZONE
    # SendGrid's Event Webhook verification key (base64 DER, as SendGrid shows it).
    sendgrid_webhook_public_key: str | None = None
    compiled_reads: bool = True
    # The compiled path on SQLite too (HUB_COMPILED_READS_SQLITE=0 leaves SQLite on strawberry).
    compiled_reads_sqlite: bool = True
    max_page_size: int = 500
    default_page_size: int = 50
    token_lifetime_days: int = 30
    # People's bearer tokens are personal access tokens (hub/access/auth/personal_tokens.py). The
    # signed 30-day tokens `hub token` printed before are refused unless this is set, for a
    # transition: they cannot be revoked.
    accept_signed_person_tokens: bool = False
    # A signed-in browser's session ends after this long unused, and after this long at all.
    session_idle_hours: int = 7 * 24
    session_absolute_days: int = 30
    # API clients' access tokens are short-lived: a client asks for a new one when it expires.
    client_token_lifetime_seconds: int = 3600
    # Budgets: points per window, per caller (see hub/access/budgets). People get more than
    # strangers.
    budget_window_seconds: int = 3600
    budget_points: int = 5000
    budget_anonymous_points: int = 1000
    # Webhook deliveries to private, loopback or link-local addresses (and over plain http):
    # refused unless this is set, as the tests do for their receiver on 127.0.0.1.
    webhooks_allow_private: bool = False
    # The worker's job done by each serving process too (`hub serve --demo` sets it).
    deliver_in_process: bool = False
    # The largest request body the hub reads (bytes); a larger one is answered 413.
    max_request_bytes: int = 1_048_576
    # How many seats' proxies one person may carry for one meeting (or one proposal).
    max_proxies_per_person: int = 1
    # Proxies (addresses or CIDRs) whose X-Forwarded-For names the client (hub/interfaces/web/
    # client_address.py). None by default: from anyone else the header is ignored.
    trusted_proxies: tuple[IPNetwork, ...] = ()
    # On SIGTERM, how long a process may take to finish what it started: `hub serve` its
    # requests in flight (new connections are refused at once), a worker the messages it is
    # sending. Within an orchestrator's own limit (Kubernetes: 30 s) with room to spare.
    shutdown_grace_seconds: int = 20
    # OpenID Connect providers people may sign in through (HUB_OIDC_PROVIDERS, see README).
    oidc_providers: tuple[OidcProvider, ...] = ()

    def oidc_provider(self, name: str) -> OidcProvider | None:
        return next((p for p in self.oidc_providers if p.name == name), None)

    # Whoever scrapes /metrics sends it as a bearer token; without it there is no /metrics.
    metrics_token: str | None = None
    # Where `hub worker` serves its own /metrics (with metrics_token); not served without it.
    worker_metrics_host: str = "127.0.0.1"
    worker_metrics_port: int | None = None
    # HUB_LOG_FORMAT: "json" for a log shipper, "text" (the default) for people.
    log_format: LogFormat = "text"

    @property
    def support_address(self) -> str:
        return self.contact_email or self.email_from

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        backend = env.get("HUB_EMAIL_BACKEND", "console")
        if backend not in ("console", "sendgrid"):
            raise ConfigurationError(
                f"HUB_EMAIL_BACKEND must be 'console' or 'sendgrid', not {backend!r}"
            )
        return cls(
            database_url=check_database_url(env.get("HUB_DATABASE_URL") or DEFAULT_DATABASE_URL),
            database_pool_size=int(env.get("HUB_DATABASE_POOL_SIZE") or 10),
            database_pooler=_database_pooler(env.get("HUB_DATABASE_POOLER") or "none"),
            database_replica_url=_replica_url(env.get("HUB_DATABASE_REPLICA_URL") or None),
            replica_max_lag_seconds=_lag_limit(env.get("HUB_REPLICA_MAX_LAG_SECONDS") or "5"),
            secret_key=env.get("HUB_SECRET_KEY") or None,
            demo_ballot_key=env.get("HUB_DEMO_BALLOT_KEY") or None,
            base_url=_base_url(env),
            other_token_issuers=frozenset()
            if env.get("HUB_BASE_URL")
            else frozenset({DEFAULT_BASE_URL}) - {_base_url(env)},
            email_backend=backend,  # type: ignore[arg-type]
            sendgrid_api_key=env.get("SENDGRID_API_KEY") or None,
            sendgrid_host=env.get("HUB_SENDGRID_HOST") or cls.sendgrid_host,
            email_from=env.get("HUB_EMAIL_FROM") or cls.email_from,
            contact_email=env.get("HUB_CONTACT_EMAIL") or None,
            time_zone=_time_zone(env.get("HUB_TIME_ZONE") or DEFAULT_TIME_ZONE),
            sendgrid_webhook_public_key=env.get("HUB_SENDGRID_WEBHOOK_PUBLIC_KEY") or None,
            compiled_reads=env.get("HUB_COMPILED_READS", "1") not in ("0", "false", "no"),
            compiled_reads_sqlite=env.get("HUB_COMPILED_READS_SQLITE", "1")
            not in ("0", "false", "no"),
            accept_signed_person_tokens=env.get("HUB_ACCEPT_SIGNED_PERSON_TOKENS", "0")
            in ("1", "true", "yes"),
            session_idle_hours=int(env.get("HUB_SESSION_IDLE_HOURS") or 7 * 24),
            session_absolute_days=int(env.get("HUB_SESSION_ABSOLUTE_DAYS") or 30),
            budget_window_seconds=int(env.get("HUB_BUDGET_WINDOW_SECONDS") or 3600),
            budget_points=int(env.get("HUB_BUDGET_POINTS") or 5000),
            budget_anonymous_points=int(env.get("HUB_BUDGET_ANONYMOUS_POINTS") or 1000),
            webhooks_allow_private=env.get("HUB_WEBHOOKS_ALLOW_PRIVATE", "0")
            in ("1", "true", "yes"),
            deliver_in_process=env.get("HUB_DELIVER_IN_PROCESS", "0") in ("1", "true", "yes"),
            max_request_bytes=int(env.get("HUB_MAX_REQUEST_BYTES") or 1_048_576),
            max_proxies_per_person=int(env.get("HUB_MAX_PROXIES_PER_PERSON") or 1),
            trusted_proxies=trusted_proxies(env.get("HUB_TRUSTED_PROXIES") or ""),
            shutdown_grace_seconds=_seconds(env, "HUB_SHUTDOWN_GRACE_SECONDS", 20),
            oidc_providers=oidc_providers(env),
            metrics_token=env.get("HUB_METRICS_TOKEN") or None,
            worker_metrics_host=env.get("HUB_WORKER_METRICS_HOST") or cls.worker_metrics_host,
            worker_metrics_port=_port(env.get("HUB_WORKER_METRICS_PORT") or None),
            log_format=_log_format(env.get("HUB_LOG_FORMAT") or "text"),
        )


def _port(value: str | None) -> int | None:
    if value is None:
        return None
    if not value.isdigit() or not 1 <= int(value) <= 65535:
        raise ConfigurationError(f"HUB_WORKER_METRICS_PORT must be a port, 1-65535, not {value!r}")
    return int(value)


def _log_format(value: str) -> LogFormat:
    if value not in ("text", "json"):
        raise ConfigurationError(f"HUB_LOG_FORMAT must be 'text' or 'json', not {value!r}")
    return value  # type: ignore[return-value]


def _database_pooler(value: str) -> DatabasePooler:
    if value not in DATABASE_POOLERS:
        raise ConfigurationError(
            f"HUB_DATABASE_POOLER must be 'none' or 'transaction' (PgBouncer's transaction "
            f"pooling), not {value!r}"
        )
    return value  # type: ignore[return-value]


def _lag_limit(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        raise ConfigurationError(
            f"HUB_REPLICA_MAX_LAG_SECONDS must be a number of seconds, 0 or more, not {value!r}"
        )
    return seconds


def _replica_url(url: str | None) -> str | None:
    if url is not None and not url.startswith("postgresql+asyncpg://"):
        raise ConfigurationError(
            f"HUB_DATABASE_REPLICA_URL must be a PostgreSQL streaming replica, "
            f"postgresql+asyncpg://USER@HOST:PORT/DATABASE (not {url!r})"
        )
    return url


def _time_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigurationError(
            f"HUB_TIME_ZONE must be an IANA time zone such as America/Los_Angeles, not {name!r}"
        ) from None
    return name


def _seconds(env: Mapping[str, str], name: str, default: int) -> int:
    value = env.get(name) or str(default)
    if not value.isdigit():
        raise ConfigurationError(f"{name} must be a whole number of seconds, not {value!r}")
    return int(value)


def trusted_proxies(value: str) -> tuple[IPNetwork, ...]:
    """HUB_TRUSTED_PROXIES: addresses and CIDRs, separated by commas or spaces. One that is
    neither is refused at start-up, rather than trusting a network nobody meant."""
    networks = []
    for proxy in value.replace(",", " ").split():
        try:
            networks.append(ipaddress.ip_network(proxy, strict=False))
        except ValueError:
            raise ConfigurationError(
                f"HUB_TRUSTED_PROXIES: not an address or CIDR: {proxy!r}"
            ) from None
    return tuple(networks)


def _base_url(env: Mapping[str, str]) -> str:
    """HUB_BASE_URL; else the address `hub serve` serves (HUB_SERVED_URL, set by it)."""
    return (env.get("HUB_BASE_URL") or env.get("HUB_SERVED_URL") or DEFAULT_BASE_URL).rstrip("/")


OIDC_NAME = re.compile(r"^[a-z][a-z0-9]{0,29}$")
OIDC_REQUIRED = ("ISSUER", "CLIENT_ID", "CLIENT_SECRET", "LABEL")
DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
# OpenID Connect asks for an https issuer; a provider on this machine (a test's, a developer's)
# may speak plain http.
LOOPBACK_ISSUER = re.compile(r"^http://(localhost|127\.0\.0\.1|\[::1\])(:\d+)?(/|$)")


@dataclass(frozen=True)
class OidcProvider:
    """An OpenID Connect provider, from HUB_OIDC_<NAME>_ISSUER, _CLIENT_ID, _CLIENT_SECRET,
    _LABEL and the optional _DOMAINS and _CREATE_PEOPLE."""

    # Lower-case letters and digits: it names the provider in URLs and in the variables.
    name: str
    issuer: str
    client_id: str
    client_secret: str = field(repr=False)
    # What the sign-in button says: "Sign in with <label>".
    label: str
    # The only email domains it may sign in (lower-case); empty: any address.
    domains: frozenset[str] = frozenset()
    # A verified address in `domains` that is no one's yet becomes a new person.
    create_people: bool = False

    @property
    def metadata_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"


def oidc_providers(env: Mapping[str, str]) -> tuple[OidcProvider, ...]:
    """HUB_OIDC_PROVIDERS: names separated by commas or spaces, each configured by its own
    HUB_OIDC_<NAME>_* variables. A provider half configured stops the hub at start-up."""
    names = (env.get("HUB_OIDC_PROVIDERS") or "").replace(",", " ").lower().split()
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise ConfigurationError(f"HUB_OIDC_PROVIDERS names {', '.join(repeated)} twice")
    return tuple(_oidc_provider(env, name) for name in names)


def _oidc_provider(env: Mapping[str, str], name: str) -> OidcProvider:
    if not OIDC_NAME.match(name):
        raise ConfigurationError(
            f"HUB_OIDC_PROVIDERS: {name!r} is not a provider name: use up to 30 letters and "
            "digits, starting with a letter (such as google or acme)"
        )
    prefix = f"HUB_OIDC_{name.upper()}_"
    values = {key: (env.get(prefix + key) or "").strip() for key in OIDC_REQUIRED}
    missing = [prefix + key for key, value in values.items() if not value]
    if missing:
        raise ConfigurationError(
            f"HUB_OIDC_PROVIDERS names {name!r}, but {', '.join(missing)} "
            f"{'is' if len(missing) == 1 else 'are'} not set"
        )
    domains = _oidc_domains(prefix, env.get(prefix + "DOMAINS") or "")
    create_people = (env.get(prefix + "CREATE_PEOPLE") or "0") in ("1", "true", "yes")
    if create_people and not domains:
        raise ConfigurationError(
            f"{prefix}CREATE_PEOPLE is set without {prefix}DOMAINS: name the domains whose "
            "people this provider may add to the hub"
        )
    return OidcProvider(
        name=name,
        issuer=_oidc_issuer(prefix, values["ISSUER"]),
        client_id=values["CLIENT_ID"],
        client_secret=values["CLIENT_SECRET"],
        label=values["LABEL"],
        domains=domains,
        create_people=create_people,
    )


def _oidc_issuer(prefix: str, issuer: str) -> str:
    issuer = issuer.rstrip("/")
    if not (issuer.startswith("https://") or LOOPBACK_ISSUER.match(issuer)):
        raise ConfigurationError(
            f"{prefix}ISSUER must be the provider's https URL (such as "
            f"https://accounts.google.com), not {issuer!r}"
        )
    return issuer


def _oidc_domains(prefix: str, value: str) -> frozenset[str]:
    domains = {domain.lstrip("@") for domain in value.replace(",", " ").lower().split()}
    wrong = sorted(domain for domain in domains if not DOMAIN.match(domain))
    if wrong:
        raise ConfigurationError(
            f"{prefix}DOMAINS: not an email domain: {', '.join(wrong)} (use scope.org, not "
            "an address or a URL)"
        )
    return frozenset(domains)

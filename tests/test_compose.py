"""`docker compose up` as shipped: PostgreSQL, PgBouncer in transaction pooling mode, the
migration once before two hubs and a worker, restarts, healthchecks, no secret of ours in it,
and a build context without local clutter. (Docker is not on the test machines: the file
itself is read.)"""

from __future__ import annotations

import configparser
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy.engine import make_url

pytestmark = pytest.mark.database_independent

REPOSITORY = Path(__file__).resolve().parents[1]
HUBS = ("hub-1", "hub-2")
APPLICATION = (*HUBS, "worker")
LONG_RUNNING = ("db", "pgbouncer", *APPLICATION)
REQUIRED_SECRET = re.compile(r"^\$\{HUB_SECRET_KEY:\?[^}]+\}$")
REQUIRED_PASSWORD = re.compile(r"\$\{POSTGRES_PASSWORD:\?[^}]+\}")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((REPOSITORY / "compose.yaml").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, Any]:
    return compose["services"]  # type: ignore[no-any-return]


def test_migrations_run_once_before_the_hubs_and_the_worker(services):
    migrate = services["migrate"]

    assert migrate["command"] == ["hub", "migrate"]
    assert migrate["depends_on"] == {"db": {"condition": "service_healthy"}}
    for name in APPLICATION:
        assert services[name]["depends_on"] == {
            "migrate": {"condition": "service_completed_successfully"},
            "pgbouncer": {"condition": "service_healthy"},
        }
        assert "migrate" not in " ".join(services[name]["command"])


def test_two_hub_processes_serve_on_their_own_ports_and_one_worker_delivers(services):
    for name in HUBS:
        assert services[name]["command"] == ["hub", "serve", "--host", "0.0.0.0", "--port", "8000"]
    assert sorted(port for name in HUBS for port in services[name]["ports"]) == [
        "8000:8000",
        "8001:8000",
    ]
    assert [
        name for name, s in services.items() if s.get("command", [""])[:2] == ["hub", "worker"]
    ] == ["worker"]


def test_long_running_services_restart_and_the_migration_does_not(services):
    assert {name: service.get("restart") for name, service in services.items()} == {
        **dict.fromkeys(LONG_RUNNING, "unless-stopped"),
        "migrate": "no",
    }


def test_the_hubs_and_the_worker_go_through_pgbouncer_in_transaction_mode(compose, services):
    for name in APPLICATION:
        environment = services[name]["environment"]
        url = make_url(environment["HUB_DATABASE_URL"])
        assert (url.host, url.port, url.database) == ("pgbouncer", 6432, "hub"), name
        assert environment["HUB_DATABASE_POOLER"] == "transaction", name
    settings = configparser.ConfigParser()
    settings.read_string(compose["configs"]["pgbouncer-ini"]["content"])
    assert settings["pgbouncer"]["pool_mode"] == "transaction"
    assert settings["pgbouncer"]["listen_port"] == "6432"
    assert settings["databases"]["hub"] == "host=db port=5432 dbname=hub"
    mounted = {config["target"] for config in services["pgbouncer"]["configs"]}
    assert mounted == {"/etc/pgbouncer/pgbouncer.ini", "/etc/pgbouncer/userlist.txt"}


def test_the_migration_goes_to_postgresql_itself(services):
    # Its advisory lock is held for its session, which transaction pooling does not keep.
    environment = services["migrate"]["environment"]

    assert make_url(environment["HUB_DATABASE_URL"]).host == "db"
    assert environment["HUB_DATABASE_POOLER"] == "none"


def test_the_hubs_are_checked_by_readyz_and_the_databases_by_pg_isready(services):
    for name in HUBS:
        check = " ".join(services[name]["healthcheck"]["test"])
        assert "http://127.0.0.1:8000/readyz" in check, name
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    assert "-p 6432" in " ".join(services["pgbouncer"]["healthcheck"]["test"])


def test_no_secret_has_a_default_and_each_must_be_given(compose, services):
    text = (REPOSITORY / "compose.yaml").read_text(encoding="utf-8")

    for name in ("migrate", *APPLICATION):
        environment = services[name]["environment"]
        assert REQUIRED_SECRET.match(environment["HUB_SECRET_KEY"]), name
        assert REQUIRED_PASSWORD.search(environment["HUB_DATABASE_URL"]), name
        assert environment["HUB_METRICS_TOKEN"].startswith("${HUB_METRICS_TOKEN:?"), name
    assert REQUIRED_PASSWORD.fullmatch(services["db"]["environment"]["POSTGRES_PASSWORD"])
    assert REQUIRED_PASSWORD.search(compose["configs"]["pgbouncer-users"]["content"])
    for secret in ("HUB_SECRET_KEY", "POSTGRES_PASSWORD", "HUB_METRICS_TOKEN"):
        assert f"{secret}:-" not in text
        assert f"{secret}-" not in text.replace(f"{secret}:?", "")
    assert "change-me" not in text


def test_the_processes_log_json_and_the_worker_serves_its_metrics(services):
    for name in APPLICATION:
        assert services[name]["environment"]["HUB_LOG_FORMAT"] == "json"
    assert services["worker"]["environment"]["HUB_WORKER_METRICS_PORT"] == "9100"
    assert services["worker"]["ports"] == ["9100:9100"]


def test_the_build_context_leaves_out_local_clutter():
    ignored = (REPOSITORY / ".dockerignore").read_text(encoding="utf-8").split()

    for pattern in (".venv", ".git", "test-artifacts", "*.db", "**/__pycache__", ".pytest_cache"):
        assert pattern in ignored
    for pattern in (".env", "bench/.tools", "bench/results", "node_modules"):
        assert pattern in ignored

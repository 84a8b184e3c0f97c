"""`docker compose up` as shipped: migrations once before the hub and the worker, restarts,
no secret of ours in it, and a build context without local clutter. (Docker is not on the test
machines: the file itself is read.)"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

pytestmark = pytest.mark.database_independent

REPOSITORY = Path(__file__).resolve().parents[1]
REQUIRED_SECRET = re.compile(r"^\$\{HUB_SECRET_KEY:\?[^}]+\}$")


@pytest.fixture(scope="module")
def services() -> dict[str, Any]:
    compose = yaml.safe_load((REPOSITORY / "compose.yaml").read_text(encoding="utf-8"))
    return compose["services"]  # type: ignore[no-any-return]


def test_migrations_run_once_before_the_hub_and_the_worker(services):
    migrate = services["migrate"]

    assert migrate["command"] == ["hub", "migrate"]
    assert migrate["depends_on"] == {"db": {"condition": "service_healthy"}}
    for name in ("hub", "worker"):
        assert services[name]["depends_on"] == {
            "migrate": {"condition": "service_completed_successfully"}
        }
        assert "migrate" not in " ".join(services[name]["command"])


def test_long_running_services_restart_and_the_migration_does_not(services):
    assert {name: service.get("restart") for name, service in services.items()} == {
        "db": "unless-stopped",
        "migrate": "no",
        "hub": "unless-stopped",
        "worker": "unless-stopped",
    }


def test_the_secret_key_has_no_default_and_must_be_given(services):
    text = (REPOSITORY / "compose.yaml").read_text(encoding="utf-8")

    for name in ("migrate", "hub", "worker"):
        assert REQUIRED_SECRET.match(services[name]["environment"]["HUB_SECRET_KEY"]), name
    assert "HUB_SECRET_KEY:-" not in text
    assert "change-me" not in text


def test_the_build_context_leaves_out_local_clutter():
    ignored = (REPOSITORY / ".dockerignore").read_text(encoding="utf-8").split()

    for pattern in (".venv", ".git", "test-artifacts", "*.db", "**/__pycache__", ".pytest_cache"):
        assert pattern in ignored

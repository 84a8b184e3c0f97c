"""The layers of hub/ depend downward only, as README "How the code is laid out" draws them:
the domains' services and the delivery channels know nothing of GraphQL or the web; the outbox
knows no channel and no domain (each channel implements hub/outbox/delivery.py); the compiled
read path imports nothing from the web layer. Read from the source's own import statements."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

HUB = Path(__file__).resolve().parent.parent / "hub"

BELOW_GRAPHQL = (
    "auth",
    "budgets",
    "calendar",
    "convenings",
    "directory",
    "email",
    "feeds",
    "governance",
    "guests",
    "models",
    "notifications",
    "outbox",
    "permissions",
    "reminders",
    "signin",
    "sync",
    "webhooks",
)
CHANNELS_AND_DOMAINS = (
    "email",
    "webhooks",
    "notifications",
    "reminders",
    "convenings",
    "directory",
    "governance",
    "guests",
    "signin",
    "feeds",
    "calendar",
)

pytestmark = pytest.mark.database_independent


def imported_modules(package: Path) -> dict[str, set[str]]:
    """Each file's imported hub modules (absolute imports, where the hub writes all of its)."""
    found: dict[str, set[str]] = {}
    for path in sorted(package.rglob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
            elif isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
        found[str(path.relative_to(HUB.parent))] = {n for n in names if n.split(".")[0] == "hub"}
    return found


def offending(package: str, forbidden: tuple[str, ...]) -> dict[str, list[str]]:
    """The files of `package` that import from a forbidden package, with what they import."""
    prefixes = tuple(f"hub.{name}" for name in forbidden)

    def below(module: str) -> bool:
        return any(module == prefix or module.startswith(prefix + ".") for prefix in prefixes)

    found = {
        path: sorted(filter(below, modules))
        for path, modules in imported_modules(HUB / package).items()
    }
    return {path: modules for path, modules in found.items() if modules}


@pytest.mark.parametrize("package", BELOW_GRAPHQL)
def test_services_and_channels_know_nothing_of_graphql_or_the_web(package):
    assert offending(package, ("graphql", "web", "app")) == {}


def test_the_outbox_knows_no_channel_and_no_domain():
    assert offending("outbox", CHANNELS_AND_DOMAINS) == {}


def test_the_compiled_read_path_imports_nothing_from_the_web_layer():
    assert offending("graphql/compiled", ("web",)) == {}


def test_the_check_sees_an_import_that_breaks_a_layer(tmp_path, monkeypatch):
    # The rule must fail when it is broken: a module of the outbox importing the email channel.
    fake = tmp_path / "hub"
    (fake / "outbox").mkdir(parents=True)
    (fake / "outbox" / "claims.py").write_text("from hub.email.suppressions import stops\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["HUB"]), "HUB", fake)
    assert offending("outbox", CHANNELS_AND_DOMAINS) == {
        "hub/outbox/claims.py": ["hub.email.suppressions"]
    }

"""hub/ is its layers, and they depend downward only, as README "How the code is laid out" draws
them: interfaces (GraphQL, the web) over the domains, over delivery, over access, over
infrastructure, over what every layer shares; the composition (the app, the command, the worker)
at the top. The outbox knows no channel and no domain (each channel implements
hub/delivery/outbox/delivery.py); the compiled read path imports nothing from the web. Read from
the source's own import statements."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HUB = ROOT / "hub"

# From the bottom up: each layer imports only from itself and the layers below it.
LAYERS = ("common", "infrastructure", "access", "delivery", "domains", "interfaces")
# What composes the layers into the processes that run: above them all.
COMPOSITION = {"__init__.py", "__main__.py", "app.py", "cli.py", "worker.py", "demo"}

# The one import that still runs up a layer, and why: a convening's RSVP-counts event carries the
# counts the API shows, defined once in the domain (hub/domains/convenings/counts.py).
UPWARD = {
    ("hub/delivery/webhooks/emit.py", "hub.domains.convenings.counts"),
}

CHANNELS_AND_DOMAINS = tuple(
    f"{layer}.{name}"
    for layer, names in {
        "delivery": ("email", "webhooks", "notifications", "reminders", "calendar", "feeds"),
        "domains": ("convenings", "directory", "governance", "guests", "signin", "sync"),
    }.items()
    for name in names
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
        found[path.relative_to(HUB.parent).as_posix()] = {
            n for n in names if n.split(".")[0] == "hub"
        }
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


def upward_imports(layer: str) -> set[tuple[str, str]]:
    """The imports of `layer`'s files from a layer above it or from the composition."""
    above = LAYERS[LAYERS.index(layer) + 1 :]
    composition = tuple(name.removesuffix(".py") for name in COMPOSITION - {"__init__.py"})
    return {
        (path, module)
        for path, modules in offending(layer, (*above, *composition)).items()
        for module in modules
    }


def test_the_top_of_hub_is_its_layers_and_what_composes_them():
    found = {p.name for p in HUB.iterdir() if p.name != "__pycache__"}
    assert found == set(LAYERS) | COMPOSITION


@pytest.mark.parametrize("layer", LAYERS)
def test_each_layer_imports_only_from_itself_and_the_layers_below(layer):
    assert upward_imports(layer) - UPWARD == set()


def test_the_imports_allowed_upward_are_still_there():
    # An exception that no longer exists comes off the list.
    found = {pair for layer in LAYERS for pair in upward_imports(layer)}
    assert found >= UPWARD


def test_the_readme_names_every_part_of_each_layer_and_nothing_else():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## How the code is laid out", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"hub/(" + "|".join(LAYERS) + r")/(\w+)", section))
    parts = {
        (layer, path.name.removesuffix(".py"))
        for layer in LAYERS
        for path in (HUB / layer).iterdir()
        if path.name not in {"__init__.py", "__pycache__"}
    }
    assert named == parts


def test_the_outbox_knows_no_channel_and_no_domain():
    assert offending("delivery/outbox", CHANNELS_AND_DOMAINS) == {}


def test_the_compiled_read_path_imports_nothing_from_the_web_layer():
    assert offending("interfaces/graphql/compiled", ("interfaces.web",)) == {}


def test_the_check_sees_an_import_that_breaks_a_layer(tmp_path, monkeypatch):
    # The rules must fail when they are broken: the outbox importing the email channel, and the
    # directory importing the GraphQL layer.
    fake = tmp_path / "hub"
    (fake / "delivery" / "outbox").mkdir(parents=True)
    (fake / "delivery" / "outbox" / "claims.py").write_text(
        "from hub.delivery.email.suppressions import stops\n"
    )
    (fake / "domains" / "directory").mkdir(parents=True)
    (fake / "domains" / "directory" / "people.py").write_text(
        "import hub.interfaces.graphql.node\n"
    )
    monkeypatch.setattr(__import__(__name__, fromlist=["HUB"]), "HUB", fake)
    assert offending("delivery/outbox", CHANNELS_AND_DOMAINS) == {
        "hub/delivery/outbox/claims.py": ["hub.delivery.email.suppressions"]
    }
    assert upward_imports("domains") == {
        ("hub/domains/directory/people.py", "hub.interfaces.graphql.node")
    }

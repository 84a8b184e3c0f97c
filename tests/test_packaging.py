"""The hub as a built wheel: installed into a fresh virtualenv and made read-only, it migrates
and serves the website, in Spanish too, from the installed files alone."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.infrastructure.served import free_port, newcomer_env, running

pytestmark = pytest.mark.database_independent

REPOSITORY = Path(__file__).resolve().parents[1]
# What a build reads: the sources of a release, without anything a checkout accumulates.
BUILD_INPUTS = (
    "pyproject.toml",
    "setup.py",
    "MANIFEST.in",
    "README.md",
    "hub",
    "frontend",
    "migrations",
)
LOCAL_CLUTTER = shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo", "*.egg-info")
GRAPHIQL_SCRIPT = "static/graphiql/graphiql@3.8.3/graphiql.min.js"
SECRET = "packaging-test-key-" + "p" * 40


def build_wheel(into: Path) -> Path:
    source = into / "source"
    source.mkdir()
    for name in BUILD_INPUTS:
        origin = REPOSITORY / name
        if not origin.exists():
            continue
        if origin.is_dir():
            shutil.copytree(origin, source / name, ignore=LOCAL_CLUTTER)
        else:
            shutil.copy2(origin, source / name)
    pip_wheel = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
    subprocess.run([*pip_wheel, "-q", "-w", str(into / "dist"), str(source)], check=True)
    (wheel,) = (into / "dist").glob("coalition_hub-*.whl")
    return wheel


def fresh_venv_with(wheel: Path, at: Path) -> Path:
    """A virtualenv holding only the wheel; its dependencies come from the test venv's
    site-packages through a .pth file, so nothing is downloaded."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(at)], check=True)
    python = at / "bin" / "python"
    site = Path(_site_packages(python))
    (site / "test-venv-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    pip = [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q"]
    subprocess.run([*pip, str(wheel)], check=True)
    return site / "hub"


def _site_packages(python: Path) -> str:
    code = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    return subprocess.run([python, "-c", code], capture_output=True, text=True).stdout.strip()


def snapshot(folder: Path) -> dict[str, tuple[int, float]]:
    return {
        str(path.relative_to(folder)): (path.stat().st_size, path.stat().st_mtime)
        for path in folder.rglob("*")
        if "__pycache__" not in path.parts
    }


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The installed package, read-only (restored for clean-up afterwards)."""
    root = tmp_path_factory.mktemp("wheel")
    package = fresh_venv_with(build_wheel(root), root / "venv")
    subprocess.run(["chmod", "-R", "a-w", str(package)], check=True)
    try:
        yield package
    finally:
        subprocess.run(["chmod", "-R", "u+w", str(package)], check=True)


def test_the_wheel_ships_the_website_the_compiled_translations_and_the_migrations(installed):
    shipped = set(snapshot(installed))

    assert "frontend/templates/convenings.html" in shipped
    assert "frontend/static/hub.css" in shipped
    assert "frontend/graphql/convenings.graphql" in shipped
    assert "frontend/translations/es/LC_MESSAGES/messages.mo" in shipped
    assert "migrations/env.py" in shipped
    assert any(name.startswith("migrations/versions/") for name in shipped)


def test_a_read_only_install_migrates_and_serves_the_website_in_spanish(installed, tmp_path):
    bin_folder = installed.parents[3] / "bin"
    before = snapshot(installed)
    env = newcomer_env(HUB_SECRET_KEY=SECRET)
    migrated = subprocess.run(
        [bin_folder / "hub", "migrate"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert migrated.returncode == 0, migrated.stderr
    port = free_port()

    with running(
        [str(bin_folder / "hub"), "serve", "--port", str(port)], cwd=tmp_path, env=env
    ) as console:
        console.wait_for("Uvicorn running on")
        page = httpx.get(
            f"http://127.0.0.1:{port}/convenings", headers={"Accept-Language": "es"}, timeout=10
        )
        stylesheet = httpx.get(f"http://127.0.0.1:{port}/static/hub.css", timeout=10)
        graphiql = httpx.get(f"http://127.0.0.1:{port}/{GRAPHIQL_SCRIPT}", timeout=10)

    assert page.status_code == 200, console.text
    assert '<html lang="es">' in page.text
    assert "Próximos encuentros" in page.text
    assert stylesheet.status_code == 200
    assert graphiql.status_code == 200
    assert (tmp_path / "hub.db").exists()
    assert snapshot(installed) == before

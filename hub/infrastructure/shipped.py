"""Where the files shipped beside the code are: inside the package when it was built and
installed (setup.py puts them there), at the top of the checkout otherwise."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]


def shipped_folder(name: str) -> Path:
    inside = PACKAGE / name
    return inside if inside.is_dir() else PACKAGE.parent / name


FRONTEND = shipped_folder("frontend")
MIGRATIONS = shipped_folder("migrations")

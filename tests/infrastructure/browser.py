"""Finding the browser the frontend tests drive: Debian's chromium, installed with apt-get
where it is missing (never a browser download from Playwright's servers)."""

from __future__ import annotations

import os
import shutil

from tests.infrastructure.debian import apt_install

CHROMIUM_NAMES = ("chromium", "chromium-browser")


def find_chromium() -> str | None:
    configured = os.environ.get("HUB_CHROMIUM")
    if configured:
        return configured
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def ensure_chromium() -> str | None:
    """The path of a chromium executable, installing Debian's package when running as root."""
    found = find_chromium()
    if found is None:
        apt_install("chromium", lambda: find_chromium() is not None)
        found = find_chromium()
    return found


if __name__ == "__main__":
    print(ensure_chromium() or "chromium is missing")

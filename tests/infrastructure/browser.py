"""Finding the browser the frontend tests drive: Debian's chromium, installed with apt-get
where it is missing (never a browser download from Playwright's servers)."""

from __future__ import annotations

import os
import shutil

from tests.infrastructure.debian import apt_install

CHROMIUM_NAMES = ("chromium", "chromium-browser")

# Set by `python -m tests` for its PostgreSQL pass: the browser tests (what Chromium does on the
# pages) run in the SQLite pass beside it, once. On 2 cores they are most of the suite's work;
# the pages' documents, and every rule and write behind them, run on PostgreSQL through the
# GraphQL, HTTP and service tests. Run pytest on PostgreSQL yourself and they run there too.
BROWSERS_IN_THE_SQLITE_PASS = "HUB_TEST_BROWSERS_IN_THE_SQLITE_PASS"


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

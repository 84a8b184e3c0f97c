"""Installing a Debian package the tests need, when it is missing and we run as root.

Several test processes may find the same package missing at once (the passes of `python -m
tests` and their workers start together), and apt itself may be busy: the installs take turns
under a lock file, and apt waits for dpkg's own lock instead of failing on it."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

DPKG_LOCK_WAIT_SECONDS = 600
_TURNS = Path(tempfile.gettempdir()) / "coalition-hub-tests-apt.lock"


def apt_install(package: str, installed: Callable[[], bool]) -> None:
    """Installs `package` unless `installed()` says it is there (checked again once it is this
    process's turn, since another may just have installed it)."""
    if installed() or shutil.which("apt-get") is None or os.geteuid() != 0:
        return
    with _TURNS.open("w") as turn:
        fcntl.flock(turn, fcntl.LOCK_EX)
        if installed():
            return
        print(f"+ apt-get install {package}", flush=True)
        wait = f"-o DPkg::Lock::Timeout={DPKG_LOCK_WAIT_SECONDS}"
        subprocess.run(
            f"apt-get {wait} update -qq && apt-get {wait} install -y -qq {package}",
            shell=True,
            check=False,
        )

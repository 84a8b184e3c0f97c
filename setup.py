"""The build step pyproject.toml cannot declare: a built package carries the website
(`frontend/`) and the migrations inside it, with the translations compiled to .mo files, so an
installed hub needs no checkout and never writes into its own files. (An editable install reads
both from the checkout, see hub/infrastructure/shipped.py.)"""

from __future__ import annotations

import shutil
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from setuptools import setup
from setuptools.command.build_py import build_py

SHIPPED_FOLDERS = ("frontend", "migrations")
NOT_SHIPPED = shutil.ignore_patterns("__pycache__", "*.py[cod]", "*.mo")


def compile_catalogues(translations: Path) -> None:
    for po_path in translations.glob("*/LC_MESSAGES/*.po"):
        with po_path.open("rb") as po_file:
            catalogue = read_po(po_file)
        with po_path.with_suffix(".mo").open("wb") as mo_file:
            write_mo(mo_file, catalogue)


class BuildWithWebsiteAndMigrations(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        package = Path(self.build_lib) / "hub"
        for folder in SHIPPED_FOLDERS:
            shutil.copytree(folder, package / folder, ignore=NOT_SHIPPED, dirs_exist_ok=True)
        compile_catalogues(package / "frontend" / "translations")


setup(cmdclass={"build_py": BuildWithWebsiteAndMigrations})

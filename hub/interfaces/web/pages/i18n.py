"""English and Spanish: compiled catalogues, the reader's language, and their time zone."""

from __future__ import annotations

import gettext
import io
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from starlette.requests import Request

from hub.infrastructure.shipped import FRONTEND

TRANSLATIONS = FRONTEND / "translations"
LANGUAGES = ("en", "es")
DEFAULT_LANGUAGE = "en"
LANGUAGE_COOKIE = "hub_lang"
# Set by the pages' small script from the browser's own zone; absent without JavaScript.
ZONE_COOKIE = "hub_tz"


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The catalogue compiled when the package was built; in a checkout, where only the .po
    is (binaries are never committed), compiled in memory: nothing is written beside it."""
    if language == DEFAULT_LANGUAGE:
        return gettext.NullTranslations()
    catalogue = TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"
    compiled = catalogue.with_suffix(".mo")
    if _is_current(compiled, catalogue):
        with compiled.open("rb") as mo_file:
            return gettext.GNUTranslations(mo_file)
    with catalogue.open("rb") as po_file:
        in_memory = io.BytesIO()
        write_mo(in_memory, read_po(po_file))
    in_memory.seek(0)
    return gettext.GNUTranslations(in_memory)


def _is_current(compiled: Path, catalogue: Path) -> bool:
    """A compiled catalogue older than its .po (one left in a checkout by an earlier
    version) would serve yesterday's translations: only a current one is read."""
    if not compiled.exists():
        return False
    return not catalogue.exists() or compiled.stat().st_mtime >= catalogue.stat().st_mtime


def reader_language(request: Request) -> str:
    """The cookie set by the language switch, else the browser's Accept-Language."""
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in LANGUAGES:
        return chosen
    return accepted_language(request.headers.get("accept-language", ""))


def accepted_language(header: str) -> str:
    ranked: list[tuple[float, str]] = []
    for part in header.split(","):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                continue
        ranked.append((weight, tag.split("-")[0].lower()))
    for _, language in sorted(ranked, key=lambda pair: -pair[0]):
        if language in LANGUAGES:
            return language
    return DEFAULT_LANGUAGE


def reader_zone(request: Request) -> ZoneInfo | None:
    """The zone the reader's browser says it is in, or None when it has not said."""
    name = request.cookies.get(ZONE_COOKIE)
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None

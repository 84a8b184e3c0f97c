"""Every message of the pages has a Spanish entry, and the catalogue is current."""

from __future__ import annotations

import os
from pathlib import Path

from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from hub.interfaces.web.pages.i18n import FRONTEND, TRANSLATIONS, _is_current, accepted_language

ROOT = FRONTEND.parent
BABEL_CONFIG = FRONTEND / "babel.cfg"


def _catalogue(path: Path):  # type: ignore[no-untyped-def]
    with path.open("rb") as file:
        return read_po(file)


def test_every_message_has_a_spanish_entry() -> None:
    template = _catalogue(TRANSLATIONS / "messages.pot")
    spanish = _catalogue(TRANSLATIONS / "es" / "LC_MESSAGES" / "messages.po")
    missing = [
        (message.context, message.id)
        for message in template
        if message.id and not _translated(spanish.get(message.id, context=message.context))
    ]
    assert missing == []


def _translated(entry) -> bool:  # type: ignore[no-untyped-def]
    return entry is not None and all(_forms(entry.string))


def _forms(string: str | tuple[str, ...]) -> tuple[str, ...]:
    return string if isinstance(string, tuple) else (string,)


def test_accept_language_picks_the_first_language_served() -> None:
    assert accepted_language("es-MX,es;q=0.9,en;q=0.8") == "es"
    assert accepted_language("fr-FR, en;q=0.5, es;q=0.7") == "es"
    assert accepted_language("de") == "en"


def test_the_template_holds_exactly_what_the_code_and_templates_say_now(tmp_path: Path) -> None:
    # Given what pybabel extracts from the pages' code and templates today
    extracted = tmp_path / "messages.pot"
    CommandLineInterface().run(
        ["pybabel", "extract", "-F", str(BABEL_CONFIG), "-o", str(extracted), str(ROOT)]
    )
    # Then messages.pot is up to date (so a new English string needs a Spanish entry)
    assert _message_ids(extracted) == _message_ids(TRANSLATIONS / "messages.pot")


def _message_ids(path: Path) -> set[tuple[str | None, str | tuple[str, ...]]]:
    """Each message with its context: "Going" as a heading and as an answer are two."""
    return {(message.context, message.id) for message in _catalogue(path) if message.id}


def test_a_compiled_catalogue_older_than_its_po_is_not_read(tmp_path):
    # Given a .mo left in a checkout by an earlier version, then a newer .po
    compiled, catalogue = tmp_path / "messages.mo", tmp_path / "messages.po"
    compiled.write_bytes(b"")
    catalogue.write_text("", encoding="utf-8")
    os.utime(compiled, (1_000_000, 1_000_000))

    # Then only the .po is current; a freshly built .mo (as in a wheel) is read
    assert _is_current(compiled, catalogue) is False
    os.utime(compiled, None)
    assert _is_current(compiled, catalogue) is True
    assert _is_current(tmp_path / "missing.mo", catalogue) is False

"""Text search the way every list of the hub does it: any case and any accents (folded), `%` and
`_` match themselves."""

from __future__ import annotations

import unicodedata

from sqlalchemy import ColumnElement, SQLColumnExpression, and_, true

# Longer than any name or email the hub holds: a longer search matches nothing, and would only
# make the database scan with a huge pattern.
MAX_SEARCH_LENGTH = 200


class SearchTooLong(ValueError):
    def __init__(self) -> None:
        super().__init__(f"A search can be at most {MAX_SEARCH_LENGTH} characters.")


def contains_pattern(text: str) -> str:
    """An ILIKE pattern (escape character `\\`) for values holding `text`, trimmed and in any
    case; SearchTooLong past MAX_SEARCH_LENGTH characters."""
    trimmed = text.strip()
    if len(trimmed) > MAX_SEARCH_LENGTH:
        raise SearchTooLong()
    escaped = trimmed.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def folded(text: str) -> str:
    """`text` as every search compares it: accents and case folded ("Álvarez", "ALVAREZ" and
    "alvarez" are one), so both databases match alike without an extension of their own."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def folded_words(text: str) -> list[str]:
    """The words of a search, folded: what each must find. SearchTooLong past
    MAX_SEARCH_LENGTH characters."""
    trimmed = text.strip()
    if len(trimmed) > MAX_SEARCH_LENGTH:
        raise SearchTooLong()
    return folded(trimmed).split()


def _contains(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def matches_words(column: SQLColumnExpression[str], text: str) -> ColumnElement[bool]:
    """Rows whose folded `column` (a stored `search_text`, hub/infrastructure/models/directory.py)
    holds every word of `text`, folded, anywhere: "alvarez" finds "Álvarez", "mar gon" and "ma go"
    find "María González", "ía gonz" too. Containment rather than word starts, so that a search for
    part of a name ("arez") keeps finding what it found before; the words of the search need
    not be in the name's order."""
    words = folded_words(text)
    return and_(true(), *(column.like(_contains(word), escape="\\") for word in words))

"""Text search the way every list of the hub does it: any case, `%` and `_` match themselves."""

from __future__ import annotations

import unicodedata

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

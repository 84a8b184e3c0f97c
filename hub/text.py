"""Text as the hub accepts it: what both databases can store, checked once at the edge."""

from __future__ import annotations

UNSTORABLE_TEXT = "Text may not contain NUL characters or unpaired surrogates."


def is_storable_text(text: str) -> bool:
    """Whether both databases can store the text: no NUL (PostgreSQL refuses it) and no
    unpaired surrogate (not encodable as UTF-8)."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True

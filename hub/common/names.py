"""What a name may hold. A name (a person's, an organization's, a convening's title or venue)
is one line of text people read: control characters in it (escape sequences, bells, line
breaks) and the invisible marks that reorder what follows them would print as something else
in emails, calendars and spreadsheets, so they are refused, never stored."""

from __future__ import annotations

import enum
import unicodedata

from hub.common.errors import InputError

# Line and paragraph separators, and the bidirectional embeddings, overrides and isolates.
INVISIBLE_MARKS = frozenset("\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def is_printable_name(value: str) -> bool:
    return not any(
        unicodedata.category(character) == "Cc" or character in INVISIBLE_MARKS
        for character in value
    )


def printable_name(field: str, value: str, code: enum.Enum) -> str:
    """The name unchanged, or an InputError with the domain's code for "invalid characters"."""
    if not is_printable_name(value):
        raise InputError(
            field,
            code,
            f"Keep the {field} to one line of printable characters (no control characters).",
        )
    return value

"""Text search the way every list of the hub does it: any case, `%` and `_` match themselves."""

from __future__ import annotations


def contains_pattern(text: str) -> str:
    """An ILIKE pattern (escape character `\\`) for values holding `text`, trimmed and in any
    case."""
    escaped = text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"

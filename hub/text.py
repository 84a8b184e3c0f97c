"""Text as the hub accepts it: what both databases can store, checked once at the edge."""

from __future__ import annotations

from typing import Any

UNSTORABLE_TEXT = "Text may not contain NUL characters or unpaired surrogates."
# Deeper than any variables or request body the schema needs (its inputs nest a few levels).
MAX_NESTING = 32


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


class NestedTooDeep(ValueError):
    pass


def storable_throughout(value: Any, max_depth: int) -> bool:
    """Whether every string in a JSON-like value (keys too) is storable text; NestedTooDeep
    past `max_depth` levels. Iterative, so a deep value costs no recursion."""
    pending: list[tuple[Any, int]] = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if depth > max_depth:
            raise NestedTooDeep()
        if isinstance(item, str):
            if not is_storable_text(item):
                return False
        elif isinstance(item, dict):
            pending.extend((part, depth + 1) for pair in item.items() for part in pair)
        elif isinstance(item, list):
            pending.extend((part, depth + 1) for part in item)
    return True

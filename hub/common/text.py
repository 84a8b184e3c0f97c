"""Text as the hub accepts it: what both databases can store, checked once at the edge; and the
checks every domain makes of what people type (TextChecks), each domain with its own codes."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from hub.common.errors import InputError
from hub.common.names import printable_name

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


@dataclass(frozen=True)
class TextChecks:
    """Required and optional text and names, trimmed, within a length, raising an InputError
    that names the field with the domain's codes for a missing value, one too long, and a name
    that is not one line of printable text (hub/common/names.py)."""

    required: enum.Enum
    too_long: enum.Enum
    invalid_characters: enum.Enum

    def required_text(
        self, field: str, value: str | None, max_length: int, *, missing: str | None = None
    ) -> str:
        cleaned = (value or "").strip()
        if not cleaned:
            raise InputError(field, self.required, missing or f"Give a {field}.")
        return self._within(field, cleaned, max_length)

    def optional_text(self, field: str, value: str | None, max_length: int) -> str | None:
        cleaned = (value or "").strip()
        return self._within(field, cleaned, max_length) if cleaned else None

    def required_name(self, field: str, value: str | None, max_length: int) -> str:
        return self.printable(field, self.required_text(field, value, max_length))

    def optional_name(self, field: str, value: str | None, max_length: int) -> str | None:
        cleaned = self.optional_text(field, value, max_length)
        return self.printable(field, cleaned) if cleaned is not None else None

    def printable(self, field: str, value: str) -> str:
        return printable_name(field, value, self.invalid_characters)

    def _within(self, field: str, cleaned: str, max_length: int) -> str:
        if len(cleaned) > max_length:
            message = f"Keep the {field} under {max_length} characters."
            raise InputError(field, self.too_long, message)
        return cleaned

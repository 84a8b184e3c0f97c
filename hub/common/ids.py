"""Ids as they travel in text: the database id of a row, and the API's global ids (base64 of
`Type:id`). One decoder for every place an id comes in (GraphQL arguments, URLs, tokens), so
each refuses the same things: anything but the exact text the hub gives out."""

from __future__ import annotations

import base64
import binascii

# The id columns are PostgreSQL `integer`s: a larger number names no row, and would fail
# in the database rather than be refused.
MAX_DATABASE_ID = 2**31 - 1


def database_id(text: str) -> int | None:
    """The id written as the hub writes it (ASCII digits, no sign, space or leading zero, within
    the id columns' range), or None."""
    if not (text.isascii() and text.isdigit()) or text.startswith("0"):
        return None
    value = int(text)
    return value if value <= MAX_DATABASE_ID else None


def global_id(type_name: str, pk: int) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def parse_global_id(text: str) -> tuple[str, int] | None:
    """The type name and database id of a global id in its one canonical form, or None."""
    if not text.isascii():
        return None
    try:
        decoded = base64.b64decode(text, validate=True).decode("ascii")
    except (binascii.Error, UnicodeDecodeError):
        return None
    type_name, _, digits = decoded.partition(":")
    pk = database_id(digits)
    if pk is None or global_id(type_name, pk) != text:
        return None
    return type_name, pk

"""Mistakes a user can fix: raised by services, returned by mutations as payload errors."""

from __future__ import annotations

import enum


class InputError(Exception):
    """One thing wrong with the input: which field, a stable code, and words for a person."""

    def __init__(self, field: str | None, code: enum.Enum, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.code = code
        self.message = message


class NotFound(Exception):
    """The object does not exist or is not visible to this viewer: the two look the same."""

    def __init__(self, what: str) -> None:
        super().__init__(f"No {what} with that id is visible to you.")

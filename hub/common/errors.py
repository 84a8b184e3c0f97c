"""Mistakes a user can fix: raised by services, returned by mutations as payload errors."""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable, Sequence
from typing import Any


class InputError(Exception):
    """One thing wrong with the input: which field, a stable code, and words for a person."""

    def __init__(self, field: str | None, code: enum.Enum, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.code = code
        self.message = message

    @property
    def errors(self) -> list[InputError]:
        """Every mistake this reports: itself (several for `InputErrors`)."""
        return [self]


class InputErrors(InputError):
    """Several mistakes found at once: a mutation reports them all, not only the first."""

    def __init__(self, errors: Sequence[InputError]) -> None:
        first = errors[0]
        super().__init__(first.field, first.code, first.message)
        self._errors = [each for error in errors for each in error.errors]

    @property
    def errors(self) -> list[InputError]:
        return list(self._errors)


class InputChecks:
    """Runs a mutation's independent checks and keeps every mistake they find, so the caller
    hears of all of them at once; `raise_found` raises them together."""

    def __init__(self) -> None:
        self.found: list[InputError] = []

    def keep(self, into: dict[str, Any], name: str, check: Callable[[], Any]) -> None:
        """`into[name]` is the check's value, unless the check refused the input."""
        try:
            into[name] = check()
        except InputError as error:
            self.found.extend(error.errors)

    async def keep_async(
        self, into: dict[str, Any], name: str, check: Callable[[], Awaitable[Any]]
    ) -> None:
        try:
            into[name] = await check()
        except InputError as error:
            self.found.extend(error.errors)

    def refuse(self, error: InputError) -> None:
        self.found.append(error)

    def raise_found(self) -> None:
        if self.found:
            raise InputErrors(self.found)


class NotFound(Exception):
    """The object does not exist or is not visible to this viewer: the two look the same."""

    def __init__(self, what: str) -> None:
        super().__init__(f"No {what} with that id is visible to you.")

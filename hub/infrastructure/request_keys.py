"""Request keys: a create that carries one writes at most once per key (a form submitted
twice, a client retrying after a lost answer)."""

from __future__ import annotations

import enum
from typing import Any, cast

from sqlalchemy import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from hub.common.errors import InputError
from hub.infrastructure.db import dialect_insert
from hub.infrastructure.models import RequestKey

MAX_KEY = 100


class RequestKeyErrorCode(enum.StrEnum):
    DUPLICATE_REQUEST = "DUPLICATE_REQUEST"


async def claim(session: AsyncSession, key: str | None, *, code: enum.Enum) -> None:
    """Takes the key for this request, in the caller's transaction; InputError(`code`) when
    a request with the same key was already made (or is being made: INSERT ... ON CONFLICT
    waits for it). No key, no check."""
    if key is None:
        return
    if not 0 < len(key) <= MAX_KEY or not key.isprintable():
        raise InputError("requestKey", code, f"A request key has 1 to {MAX_KEY} characters.")
    insert = dialect_insert(session, RequestKey).values(key=key)
    result = await session.execute(insert.on_conflict_do_nothing(index_elements=["key"]))
    if not cast(CursorResult[Any], result).rowcount:
        raise InputError("requestKey", code, "This was sent already: it was done once, not again.")

"""Running a service call for a mutation: input errors become payload data and roll back."""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable
from typing import TypeVar

from hub.errors import InputError
from hub.graphql.context import Context
from hub.graphql.node import InvalidGlobalId, pk_of

T = TypeVar("T")


async def attempt(
    context: Context, action: Callable[[], Awaitable[T]]
) -> tuple[T | None, list[InputError]]:
    """The action's result, or the user-fixable error it raised; on an error nothing it wrote
    is committed."""
    try:
        return await action(), []
    except InputError as error:
        context.rollback_requested = True
        return None, [error]


def input_pk(global_id: str, type_name: str, field: str, unknown: enum.Enum) -> int:
    """The database id in an input's global id; a malformed one is the user's to fix."""
    try:
        return pk_of(global_id, type_name)
    except InvalidGlobalId as error:
        raise InputError(field, unknown, str(error)) from error

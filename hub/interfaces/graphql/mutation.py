"""Running a mutation: each top-level mutation is its own unit of work (a savepoint), and a
service's input errors become payload data."""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from strawberry.extensions import FieldExtension

from hub.common.errors import InputError
from hub.interfaces.graphql.context import Context
from hub.interfaces.graphql.node import InvalidGlobalId, pk_of

T = TypeVar("T")


class MutationUnit(FieldExtension):
    """Runs one top-level mutation in a savepoint: released when its payload reports success,
    rolled back when it reports errors or raises. The document's other mutations keep what
    they stored, so every payload reports exactly what is stored. A mutation that starts its
    session's transaction (the first of a document over HTTP: the budget's charge committed
    before it) needs no savepoint: rolling the transaction back undoes only what it wrote,
    two round trips fewer."""

    async def resolve_async(
        self, next_: Callable[..., Awaitable[Any]], source: Any, info: Any, **kwargs: Any
    ) -> Any:
        context: Context = info.context
        context.keep_refused_writes = False
        session = context.session
        if not session.in_transaction() and not (session.new or session.dirty or session.deleted):
            return await self._first_in_transaction(next_, source, info, **kwargs)
        savepoint = await session.begin_nested()
        try:
            payload = await next_(source, info, **kwargs)
        except BaseException:
            await savepoint.rollback()
            raise
        if getattr(payload, "errors", None) and not context.keep_refused_writes:
            await savepoint.rollback()
        else:
            await savepoint.commit()
        return payload

    async def _first_in_transaction(
        self, next_: Callable[..., Awaitable[Any]], source: Any, info: Any, **kwargs: Any
    ) -> Any:
        context: Context = info.context
        try:
            payload = await next_(source, info, **kwargs)
        except BaseException:
            await context.session.rollback()
            raise
        if getattr(payload, "errors", None) and not context.keep_refused_writes:
            await context.session.rollback()
        return payload  # its writes stay in the transaction, which UnitOfWork commits


def each_mutation_its_own_unit(mutation_type: type) -> type:
    for field in mutation_type.__strawberry_definition__.fields:  # type: ignore[attr-defined]
        field.extensions.append(MutationUnit())
    return mutation_type


async def attempt(
    context: Context, action: Callable[[], Awaitable[T]]
) -> tuple[T | None, list[InputError]]:
    """The action's result, or the user-fixable errors it raised (the payload then reports
    every one, and MutationUnit undoes what the mutation wrote)."""
    try:
        return await action(), []
    except InputError as error:
        return None, error.errors


def input_pk(global_id: str, type_name: str, field: str, unknown: enum.Enum) -> int:
    """The database id in an input's global id; a malformed one is the user's to fix."""
    try:
        return pk_of(global_id, type_name)
    except InvalidGlobalId as error:
        raise InputError(field, unknown, str(error)) from error

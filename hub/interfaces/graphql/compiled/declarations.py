"""The words a domain uses to map its GraphQL types onto tables, in its own `mapping.py`.

Every expression is written against the ORM model (`Person.email`, `Affiliation.person_id`);
the compiler re-aims it at whichever alias or page of that table a query needs. Row rules
and field rules are the functions of `hub/access/permissions`, called with the request's viewer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement

from hub.access.auth.viewer import Viewer

RowRule = Callable[[Viewer], ColumnElement[bool]]
ViewerExpression = Callable[[Viewer], ColumnElement[Any]]
Arguments = dict[str, Any]


@dataclass(frozen=True)
class Column:
    """A scalar field read from a column (or any expression on the model's row). With `visible`,
    a field rule as SQL: the field is null where the rule is false, as the resolver answers null
    to viewers who may not see it. With `zone`, a DateTime shown in that IANA zone (else UTC)."""

    attribute: Any
    visible: RowRule | None = None
    zone: ViewerExpression | None = None


@dataclass(frozen=True)
class One:
    """An object field: the target row whose `target_key` equals the parent's `parent_key`."""

    target: str
    parent_key: Any
    target_key: Any


@dataclass(frozen=True)
class Many:
    """A list field: the target rows whose `target_key` equals the parent's `parent_key`."""

    target: str
    parent_key: Any
    target_key: Any
    order: tuple[Any, ...]


@dataclass(frozen=True)
class Linked:
    """A list field through a link table: the target rows whose `target_key` equals
    `link_target` of the link rows whose `link_parent` equals the parent's `parent_key`."""

    target: str
    parent_key: Any
    link_parent: Any
    link_target: Any
    target_key: Any
    order: tuple[Any, ...]


@dataclass(frozen=True)
class Embedded:
    """An object field with no table of its own (a convening's counts): the target type's
    fields are expressions on the parent's row. Null where `visible` is false."""

    target: str
    visible: RowRule | None = None


@dataclass(frozen=True)
class Values:
    """A list of scalars: `value` of the rows (of its table) whose `target_key` equals the
    parent's `parent_key`, in `order`."""

    value: Any
    parent_key: Any
    target_key: Any
    order: tuple[Any, ...]


@dataclass(frozen=True)
class ManyConnection:
    """A Relay connection field: the target rows whose `target_key` equals the parent's
    `parent_key`, keyset-paged by `order` (ending in a unique column). `where` turns its
    `arguments` (besides `first` and `after`) into conditions, as RootConnection's. Null where
    `visible` is false, as the resolver answers null."""

    target: str
    parent_key: Any
    target_key: Any
    order: tuple[Any, ...]
    visible: RowRule | None = None
    where: Callable[[Viewer, Arguments], list[ColumnElement[bool]]] = lambda viewer, given: []
    arguments: tuple[str, ...] = ()


FieldMapping = Column | One | Many | Linked | Embedded | Values | ManyConnection


@dataclass(frozen=True)
class TypeMapping:
    """A GraphQL object type read from one table, through its row rule. `id` is the Relay
    global id of the primary key; fields absent from `fields` are not compiled."""

    name: str
    model: Any
    rows: RowRule
    fields: Mapping[str, FieldMapping] = field(default_factory=dict)

    @property
    def primary_key(self) -> Any:
        return self.model.id


@dataclass(frozen=True)
class RootConnection:
    """A root field answering a Relay connection of `target`, keyset-paged by `order` (which
    ends in a unique column). `where` turns the field's `arguments` (besides `first` and
    `after`) into conditions; a document giving any other argument is not compiled. An
    argument of `orders`, when given, pages in its own order instead (`updatedSince`: by
    change), with its own cursors."""

    target: str
    order: tuple[Any, ...]
    where: Callable[[Viewer, Arguments], list[ColumnElement[bool]]]
    arguments: tuple[str, ...] = ()
    orders: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)

    def ordered_by(self, arguments: Arguments) -> tuple[str | None, tuple[Any, ...]]:
        """The argument choosing this request's order (None for the field's own), and it."""
        for name, order in self.orders.items():
            if arguments.get(name) is not None:
                return name, order
        return None, self.order


@dataclass(frozen=True)
class RootObject:
    """A root field answering one `target` row, or null. `where` returns None when the
    answer is null whatever the data (for example `viewer` for anonymous callers)."""

    target: str
    where: Callable[[Viewer, Arguments], ColumnElement[bool] | None]


@dataclass(frozen=True)
class RootList:
    """A root field answering a plain list of `target` rows in `order` (ending in a unique
    column), unpaged. `where` turns the field's `arguments` into conditions, or raises
    Forbidden where the resolver refuses the viewer (the normal path then says so)."""

    target: str
    order: tuple[Any, ...]
    where: Callable[[Viewer, Arguments], list[ColumnElement[bool]]]
    arguments: tuple[str, ...] = ()


@dataclass(frozen=True)
class RootValue:
    """A root Boolean decided by the viewer alone (what they may do), as its resolver does."""

    value: Callable[[Viewer], bool]


RootMapping = RootConnection | RootObject | RootList | RootValue

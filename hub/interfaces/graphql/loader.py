"""The base of every DataLoader: batches keys within a request and answers in key order."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from strawberry.dataloader import DataLoader

if TYPE_CHECKING:
    from hub.interfaces.graphql.context import Context

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Loader(DataLoader[K, V], Generic[K, V]):
    def __init__(self, context: Context) -> None:
        self.context = context
        super().__init__(load_fn=self._load_in_key_order)

    async def _load_in_key_order(self, keys: list[K]) -> Sequence[V]:
        found = await self.fetch(keys)
        return [found.get(key, self.missing()) for key in keys]

    async def fetch(self, keys: Sequence[K]) -> dict[K, V]:
        raise NotImplementedError

    def missing(self) -> Any:
        return None


def group_by(rows: Iterable[Any], key: str) -> dict[Any, list[Any]]:
    grouped: dict[Any, list[Any]] = {}
    for row in rows:
        grouped.setdefault(getattr(row, key), []).append(row)
    return grouped

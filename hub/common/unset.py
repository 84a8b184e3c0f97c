"""A marker for "not given" in partial updates, distinct from an explicit null."""

from __future__ import annotations

import enum
from typing import Literal, TypeAlias, TypeVar

T = TypeVar("T")


class _Unset(enum.Enum):
    UNSET = "UNSET"

    def __bool__(self) -> bool:
        return False


UNSET: Literal[_Unset.UNSET] = _Unset.UNSET
Maybe: TypeAlias = T | Literal[_Unset.UNSET]


def is_set(value: object) -> bool:
    return value is not UNSET

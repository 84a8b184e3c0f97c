"""Every domain's mapping, gathered: the compiler knows no table but through these."""

from __future__ import annotations

from collections.abc import Iterable

from hub.interfaces.graphql.compiled.declarations import RootMapping, TypeMapping
from hub.interfaces.graphql.convenings import mapping as convenings
from hub.interfaces.graphql.directory import mapping as directory
from hub.interfaces.graphql.governance import mapping as governance
from hub.interfaces.graphql.sync import mapping as sync

DOMAINS = (directory, convenings, governance, sync)


def _types(domains: Iterable[object]) -> dict[str, TypeMapping]:
    return {mapping.name: mapping for domain in domains for mapping in domain.TYPES}  # type: ignore[attr-defined]


def _roots(domains: Iterable[object]) -> dict[str, RootMapping]:
    return {name: root for domain in domains for name, root in domain.ROOTS.items()}  # type: ignore[attr-defined]


TYPES: dict[str, TypeMapping] = _types(DOMAINS)
ROOTS: dict[str, RootMapping] = _roots(DOMAINS)

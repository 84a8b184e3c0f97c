"""Fixtures of the differential tests: a compiled hub, a normal hub, a seeded directory."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from hub.infrastructure.config import Settings
from hub.interfaces.runtime import Runtime
from tests.graphql.compiled.differential import (
    Directory,
    Hub,
    running_hub,
    seed_directory,
    unbudgeted,
)


@pytest.fixture(scope="session")
async def compiled_hub(settings: Settings) -> AsyncIterator[Hub]:
    async with running_hub(unbudgeted(settings, compiled_reads=True)) as hub:
        yield hub


@pytest.fixture(scope="session")
async def normal_hub(settings: Settings) -> AsyncIterator[Hub]:
    async with running_hub(unbudgeted(settings, compiled_reads=False)) as hub:
        yield hub


@pytest.fixture
async def directory(session, compiled_hub: Hub, runtime: Runtime) -> Directory:
    return await seed_directory(session, compiled_hub, runtime)

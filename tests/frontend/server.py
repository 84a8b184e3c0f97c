"""The hub served for real by uvicorn on 127.0.0.1 and a free port, as a task in the test
session's event loop, sharing the test app (and so the test database and runtime)."""

from __future__ import annotations

import asyncio
import socket

import uvicorn
from starlette.applications import Starlette


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class HubServer:
    def __init__(self, app: Starlette, port: int | None = None) -> None:
        # A port chosen beforehand when the app must know its own address (its base URL).
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # The test app's lifespan already runs: the server shares its runtime.
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off"
        )
        self.server = uvicorn.Server(config)
        self.task: asyncio.Task[None] | None = None

    async def start(self) -> HubServer:
        self.task = asyncio.create_task(self.server.serve())
        async with asyncio.timeout(20):
            while not self.server.started:  # noqa: ASYNC110 (uvicorn offers no event)
                await asyncio.sleep(0.02)
        return self

    async def stop(self) -> None:
        self.server.should_exit = True
        if self.task is not None:
            await self.task

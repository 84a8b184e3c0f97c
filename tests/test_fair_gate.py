"""hub/infrastructure/driver.py's FairGate: the compiled path's turn at a connection, in arrival
order."""

from __future__ import annotations

import asyncio

import pytest

from hub.infrastructure.driver import FairGate

pytestmark = pytest.mark.database_independent


async def hold(gate: FairGate, release: asyncio.Event, served: list[str]) -> None:
    async with gate:
        served.append("holder")
        await release.wait()


async def take_turn(gate: FairGate, served: list[str], name: str) -> None:
    async with gate:
        served.append(name)


async def test_waiters_are_served_in_the_order_they_came_and_no_newcomer_overtakes():
    gate, served, release = FairGate(1), [], asyncio.Event()
    holder = asyncio.create_task(hold(gate, release, served))
    await asyncio.sleep(0)
    queued = [asyncio.create_task(take_turn(gate, served, f"waiter {n}")) for n in range(3)]
    await asyncio.sleep(0)
    # When the holder gives the permit back, a newcomer arrives in the same instant
    release.set()
    await holder
    newcomer = asyncio.create_task(take_turn(gate, served, "newcomer"))
    await asyncio.gather(*queued, newcomer)

    assert served == ["holder", "waiter 0", "waiter 1", "waiter 2", "newcomer"]


async def test_at_most_size_hold_it_at_once():
    gate = FairGate(2)
    holding, most = 0, 0

    async def work() -> None:
        nonlocal holding, most
        async with gate:
            holding += 1
            most = max(most, holding)
            await asyncio.sleep(0.001)
            holding -= 1

    await asyncio.gather(*(work() for _ in range(10)))

    assert most == 2


async def test_a_cancelled_waiter_leaves_its_place_and_the_permit_goes_on():
    gate, served, release = FairGate(1), [], asyncio.Event()
    holder = asyncio.create_task(hold(gate, release, served))
    await asyncio.sleep(0)
    cancelled = asyncio.create_task(take_turn(gate, served, "cancelled"))
    kept = asyncio.create_task(take_turn(gate, served, "kept"))
    await asyncio.sleep(0)
    cancelled.cancel()
    release.set()
    await holder
    await kept
    with pytest.raises(asyncio.CancelledError):
        await cancelled

    assert served == ["holder", "kept"]
    # And the gate is whole again: two more pass one after the other
    await asyncio.gather(take_turn(gate, served, "a"), take_turn(gate, served, "b"))
    assert served == ["holder", "kept", "a", "b"]

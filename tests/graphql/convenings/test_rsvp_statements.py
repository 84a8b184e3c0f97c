"""What one `rsvp` costs the database, pinned: the statements of an answer over HTTP (the
viewer, the budget's charge, the mutation and its payload) and its transaction control, so
that a change making it slower shows here rather than in production (issue 15)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import event, func, select

from hub.infrastructure.models import OutboxMessage
from hub.infrastructure.models.convenings import Visibility
from hub.interfaces.runtime import Runtime
from tests.convenings.factories import create_convening, create_member, create_rsvp, create_waitlist
from tests.factories import create_personal_token
from tests.graphql.convenings.documents import gid, stored
from tests.infrastructure.statements import recorded_statements

# The payload the bench asks for (bench/rsvp_write.py): the answer, whom and for whom.
RSVP = """
mutation ($input: RsvpInput!) {
  rsvp(input: $input) {
    rsvp { id status waitlistPosition person { name } organization { name } }
    errors { field code message }
  }
}
"""
CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


@dataclass
class Recorded:
    statements: list[str] = field(default_factory=list)
    control: list[str] = field(default_factory=list)

    def clear(self) -> None:
        self.statements.clear()
        self.control.clear()

    def __str__(self) -> str:
        return "\n".join([*self.control, *(" ".join(s.split())[:160] for s in self.statements)])


@contextmanager
def recorded(runtime: Runtime) -> Iterator[Recorded]:
    """The statements doing work, and the transactions' control (BEGIN, COMMIT, savepoints)
    as the engine's own events see it, the same on both dialects."""
    seen = Recorded()

    def statement(sql: str) -> None:
        if sql.lstrip().upper().startswith(CONTROL):
            return  # SQLite's BEGIN IMMEDIATE, the savepoints: counted below, once
        seen.statements.append(sql)

    def control(kind: str) -> Any:
        return lambda *_args: seen.control.append(kind)

    engine = runtime.engine.sync_engine
    events = [
        (name, control(name))
        for name in ("begin", "commit", "rollback", "savepoint", "release_savepoint")
    ]
    for name, listener in events:
        event.listen(engine, name, listener)
    try:
        with recorded_statements(runtime.engine, statement):
            yield seen
    finally:
        for name, listener in events:
            event.remove(engine, name, listener)


def answer(convening: Any, status: str) -> dict[str, Any]:
    return {"input": {"conveningId": gid("Convening", convening.id), "status": status}}


async def send(gql, token: str, convening: Any, status: str) -> dict[str, Any]:
    body = await gql(RSVP, answer(convening, status), token=token)
    assert "errors" not in body, body
    payload = body["data"]["rsvp"]
    assert payload["errors"] == [], payload
    return payload["rsvp"]  # type: ignore[no-any-return]


async def outbox_count(runtime: Runtime) -> int:
    async with runtime.sessions() as session:
        return int(await session.scalar(select(func.count(OutboxMessage.id))) or 0)


@pytest.fixture
async def member(session):
    person = await create_member(session)
    token = await create_personal_token(session, person)
    await session.commit()
    return person, token


async def warmed(gql, session, token: str) -> None:
    """One answer before counting: the token's first use of the minute writes its
    last_used_at, once, after the request."""
    elsewhere = await create_convening(session, visibility=Visibility.PUBLIC)
    await session.commit()
    await send(gql, token, elsewhere, "MAYBE")


async def test_a_first_answer_taking_a_free_place(session, gql, runtime, member):
    person, token = member
    convening = await create_convening(session, capacity=3)
    await session.commit()
    await warmed(gql, session, token)
    before = await outbox_count(runtime)

    with recorded(runtime) as seen:
        rsvp = await send(gql, token, convening, "GOING")

    assert rsvp["status"] == "GOING"
    assert rsvp["person"]["name"] == person.name
    assert rsvp["organization"]["name"].startswith("Organization")
    assert (await stored(runtime, convening.id)).going_count == 1
    assert await outbox_count(runtime) == before + 1  # the invitation, once
    # The viewer, the charge, the convening locked and touched, the answer's rows (person,
    # RSVP, organization), the RSVP written, the counter, the invitation, the webhook event's
    # counts and subscribers; the payload's person and organization are not read again.
    assert len(seen.statements) == 9, seen
    # The charge's transaction, then the mutation's; no savepoint for a lone mutation.
    assert seen.control == ["begin", "commit", "begin", "commit"], seen


async def test_the_same_answer_again_writes_nothing_more(session, gql, runtime, member):
    # A double click: the second GOING finds the answer given
    person, token = member
    convening = await create_convening(session, capacity=3)
    await session.commit()
    await warmed(gql, session, token)
    first = await send(gql, token, convening, "GOING")
    outbox = await outbox_count(runtime)

    with recorded(runtime) as seen:
        again = await send(gql, token, convening, "GOING")

    assert again == first
    assert await outbox_count(runtime) == outbox
    after = await stored(runtime, convening.id)
    assert after.rsvps == [(person.id, "GOING", None)]
    assert after.going_count == 1
    # The viewer, the charge, the convening locked and touched, the answer's rows.
    assert len(seen.statements) == 4, seen
    assert seen.control == ["begin", "commit", "begin", "commit"], seen


async def test_going_to_a_full_convening_waits_in_line(session, gql, runtime, member):
    _, token = member
    convening = await create_convening(session, capacity=1)
    await create_rsvp(session, convening, await create_member(session))
    await create_waitlist(session, convening, 2)
    await session.commit()
    await warmed(gql, session, token)

    with recorded(runtime) as seen:
        rsvp = await send(gql, token, convening, "GOING")

    assert (rsvp["status"], rsvp["waitlistPosition"]) == ("WAITLISTED", 3)
    # The viewer, the charge, the convening, the answer's rows with the last position in
    # line, the RSVP, the note, the webhook event's counts and subscribers.
    assert len(seen.statements) == 8, seen


async def test_changing_an_answer_on_a_convening_with_places_left(session, gql, runtime, member):
    # GOING to MAYBE frees a place, and nobody waits while places are free: no promotion
    _, token = member
    convening = await create_convening(session, capacity=3)
    await session.commit()
    await warmed(gql, session, token)
    await send(gql, token, convening, "GOING")

    with recorded(runtime) as seen:
        rsvp = await send(gql, token, convening, "MAYBE")

    assert rsvp["status"] == "MAYBE"
    assert (await stored(runtime, convening.id)).going_count == 0
    # The viewer, the charge, the convening, the answer's rows, the RSVP and the counter
    # written, the invitation (tentative), the webhook event's counts and subscribers.
    assert len(seen.statements) == 9, seen

"""The compiled path writes global ids, datetimes and keyset cursors in SQL, character for
character as the normal path's Python does (hub/interfaces/graphql/node.py,
hub/infrastructure/pagination.py): checked here on the database itself, over the text people type
(accents, quotes, control characters, characters beyond the Basic Multilingual Plane, separators),
not only the corpus's data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import DateTime, Integer, String, literal, select

from hub.infrastructure.pagination import encode_cursor
from hub.interfaces.graphql.compiled import postgres_json
from hub.interfaces.graphql.node import to_global_id

TEXTS = [
    "Alliance",
    "Álvarez Muñoz",
    'say "yes" \\ no',
    "tab\tnew\nline\rreturn\x08\x0c",
    "bell\x07 escape\x1b unit\x1f delete\x7f",
    "emoji 😀 and \U0001d518",
    "line\u2028paragraph\u2029",
    "日本語のテキスト",
    "",
]
MOMENTS = [
    datetime(2026, 1, 8, 18, 0, tzinfo=UTC),
    datetime(2026, 3, 8, 9, 59, 59, 999999, tzinfo=UTC),
    datetime(1970, 1, 1, tzinfo=UTC),
]
ZONES = ["America/Los_Angeles", "Asia/Kolkata", "Australia/Eucla", "UTC"]


@pytest.fixture
async def evaluate(runtime, postgresql_only):
    async def value_of(expression):
        async with runtime.engine.connect() as connection:
            return (await connection.execute(select(expression))).scalar_one()

    return value_of


@pytest.mark.parametrize("text", TEXTS)
async def test_a_cursor_of_text_is_the_one_python_writes(evaluate, text):
    key = literal(text, String())
    assert await evaluate(postgres_json.cursor([key])) == encode_cursor([text])
    number = literal(42, Integer())
    assert await evaluate(postgres_json.cursor([key, number])) == encode_cursor([text, 42])


@pytest.mark.parametrize("moment", MOMENTS)
async def test_a_cursor_of_a_moment_is_the_one_python_writes(evaluate, moment):
    key = literal(moment, DateTime(timezone=True))
    assert await evaluate(postgres_json.cursor([key, literal(7, Integer())])) == encode_cursor(
        [moment, 7]
    )


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize("zone", ZONES)
async def test_a_datetime_in_a_zone_is_written_as_python_writes_it(evaluate, moment, zone):
    value = literal(moment, DateTime(timezone=True))
    written = await evaluate(postgres_json.iso_datetime(value, literal(zone, String())))
    assert written == moment.astimezone(ZoneInfo(zone)).isoformat()
    assert await evaluate(postgres_json.iso_datetime(value)) == moment.astimezone(UTC).isoformat()


async def test_an_offset_with_seconds_is_written_as_python_writes_it(evaluate):
    # Before 1901 zones ran on local mean time: offsets of minutes and seconds.
    moment = datetime(1880, 6, 1, 12, 0, tzinfo=timezone(timedelta(0)))
    value = literal(moment, DateTime(timezone=True))
    zone = "America/Los_Angeles"
    written = await evaluate(postgres_json.iso_datetime(value, literal(zone, String())))
    assert written == moment.astimezone(ZoneInfo(zone)).isoformat()


@pytest.mark.parametrize("pk", [1, 99, 2_147_483_647])
async def test_a_global_id_is_the_one_python_writes(evaluate, pk):
    written = await evaluate(postgres_json.global_id("Organization", literal(pk, Integer())))
    assert written == to_global_id("Organization", pk)

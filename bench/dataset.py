"""The reference data set, made inside PostgreSQL with generate_series in a few seconds.

600 organizations, 50,000 people (each affiliated with one organization), 2,000 convenings
with one or two hosts each, and 250 RSVPs per convening (500,000): seven in ten GOING, the
rest MAYBE, NOT_GOING or WAITLISTED, with `going_count` kept equal to the GOING rows.
Person 1 is an alliance admin, so one bearer token sees every row and field.
"""

from __future__ import annotations

import asyncio

import asyncpg

ORGANIZATIONS = 600
PEOPLE = 50_000
CONVENINGS = 2_000
RSVPS_PER_CONVENING = 250
ADMIN_EMAIL = "bench-admin@example.org"

# Each statement sees the previous ones; all run in one transaction.
FILL_STATEMENTS = [
    f"""
    INSERT INTO organizations (id, slug, name, kind, sector, counties, state, description,
                               search_text)
    SELECT o, 'org-' || o, 'Organization ' || o,
           (ARRAY['MEMBER', 'MEMBER', 'STRATEGIC_PARTNER', 'ALLY', 'PEER'])[1 + o % 5],
           'COMMUNITY_ORGANIZING', '[]', 'CA', '', 'organization ' || o
    FROM generate_series(1, {ORGANIZATIONS}) AS o
    """,
    f"""
    INSERT INTO people (id, name, email, preferred_language, is_admin, search_text)
    SELECT p, 'Person ' || p,
           CASE WHEN p = 1 THEN '{ADMIN_EMAIL}' ELSE 'person' || p || '@example.org' END,
           'en', p = 1, 'person ' || p
    FROM generate_series(1, {PEOPLE}) AS p
    """,
    f"""
    INSERT INTO affiliations (person_id, organization_id, role)
    SELECT p, 1 + p % {ORGANIZATIONS},
           CASE WHEN p <= {ORGANIZATIONS} THEN 'CONTACT' ELSE 'MEMBER' END
    FROM generate_series(1, {PEOPLE}) AS p
    """,
    f"""
    INSERT INTO convenings (id, title, kind, description, starts_at, ends_at, time_zone,
                            languages, visibility, status, going_count, sequence)
    SELECT c, 'Convening ' || c,
           (ARRAY['STRATEGY_SESSION', 'COMMITTEE_MEETING', 'TRAINING', 'CAUCUS_CALL'])[1 + c % 4],
           '', timestamptz '2026-01-05 17:00+00' + c * interval '4 hours',
           timestamptz '2026-01-05 19:00+00' + c * interval '4 hours',
           'America/Los_Angeles', '["en"]',
           (ARRAY['PUBLIC', 'MEMBERS', 'COMMITTEE'])[1 + c % 3], 'SCHEDULED', 0, 0
    FROM generate_series(1, {CONVENINGS}) AS c
    """,
    f"""
    INSERT INTO convening_hosts (convening_id, organization_id)
    SELECT c, 1 + c % {ORGANIZATIONS} FROM generate_series(1, {CONVENINGS}) AS c
    UNION ALL
    SELECT c, 1 + (c + {ORGANIZATIONS // 2}) % {ORGANIZATIONS}
    FROM generate_series(3, {CONVENINGS}, 3) AS c
    """,
    # j * 197 stays below PEOPLE for every j, so (convening, person) is unique.
    f"""
    INSERT INTO rsvps (convening_id, person_id, organization_id, status, waitlist_position,
                       accessibility, accessibility_note, childcare_count, dietary)
    SELECT c, person, 1 + person % {ORGANIZATIONS},
           (ARRAY['GOING', 'GOING', 'GOING', 'GOING', 'GOING', 'GOING', 'GOING',
                  'MAYBE', 'NOT_GOING', 'WAITLISTED'])[1 + j % 10],
           CASE WHEN j % 10 = 9 THEN 1 + j / 10 END, '[]', '', 0, ''
    FROM generate_series(1, {CONVENINGS}) AS c,
         generate_series(0, {RSVPS_PER_CONVENING - 1}) AS j,
         LATERAL (SELECT 1 + (c * 7919 + j * 197) % {PEOPLE} AS person) AS chosen
    ORDER BY c, j
    """,
    """
    UPDATE convenings SET going_count = going.n
    FROM (SELECT convening_id, count(*) AS n FROM rsvps WHERE status = 'GOING'
          GROUP BY convening_id) AS going
    WHERE going.convening_id = convenings.id
    """,
    *[
        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
        for table in ("organizations", "people", "affiliations", "convenings", "rsvps")
    ],
]

SIZE_QUERY = """
SELECT (SELECT count(*) FROM organizations), (SELECT count(*) FROM people),
       (SELECT count(*) FROM convenings), (SELECT count(*) FROM rsvps),
       (SELECT count(*) FROM people WHERE email = $1 AND is_admin)
"""

EXPECTED_SIZE = (ORGANIZATIONS, PEOPLE, CONVENINGS, CONVENINGS * RSVPS_PER_CONVENING, 1)


DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432"


def server_url(database: str, server: str = DEFAULT_SERVER) -> str:
    return f"{server}/{database}"


async def fill(url: str) -> None:
    """Fills an empty schema at `url` (a plain postgresql:// URL) with the reference data."""
    connection = await asyncpg.connect(url)
    try:
        async with connection.transaction():
            for statement in FILL_STATEMENTS:
                await connection.execute(statement)
        await connection.execute("ANALYZE")
    finally:
        await connection.close()


def prepare(database: str, *, fresh: bool) -> str:
    """Makes sure `database` holds the reference data; says what it did."""
    return asyncio.run(_prepare(database, fresh=fresh))


async def _prepare(database: str, *, fresh: bool) -> str:
    if not fresh and await _holds_reference_data(database):
        return "reused the existing reference data"
    await _recreate_database(database)
    await _create_schema(database)
    await fill(server_url(database))
    return "built the reference data"


async def _holds_reference_data(database: str) -> bool:
    try:
        connection = await asyncpg.connect(server_url(database))
    except asyncpg.InvalidCatalogNameError:
        return False
    try:
        row = await connection.fetchrow(SIZE_QUERY, ADMIN_EMAIL)
    except asyncpg.UndefinedTableError:
        return False
    finally:
        await connection.close()
    return tuple(row) == EXPECTED_SIZE


async def _recreate_database(database: str) -> None:
    connection = await asyncpg.connect(server_url("postgres"))
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        await connection.execute(f'CREATE DATABASE "{database}"')
    finally:
        await connection.close()


async def _create_schema(database: str) -> None:
    # The models, not the migration: the migration may lag the models while issues land.
    from sqlalchemy.ext.asyncio import create_async_engine

    from hub.models import Base

    engine = create_async_engine(server_url(database).replace("postgresql", "postgresql+asyncpg"))
    try:
        async with engine.begin() as connection:
            await connection.run_sync(Base.metadata.create_all)
    finally:
        await engine.dispose()

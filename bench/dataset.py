"""The reference data set, made inside PostgreSQL with generate_series in a few seconds.

600 organizations, 50,000 people (each affiliated with one organization), 2,000 convenings
with one or two hosts each, and 250 RSVPs per convening (500,000): seven in ten GOING, the
rest MAYBE, NOT_GOING or WAITLISTED, with `going_count` kept equal to the GOING rows.
Person 1 is an alliance admin, so one bearer token sees every row and field.

Since version 2 (`DATASET_VERSION`) it also holds the Coordinating Committee: 24 seats (on
MEMBER organizations, each with a holder and an alternate affiliated with it), 1,000 proposals
(one or two sponsoring organizations each; three in four closed ADOPTED or REJECTED on a
RECORDED ballot, with a vote from every seat, a reason on every other one, and the stored
result; the rest in DISCUSSION), and convenings' `updated_at` spread over 1,000 minutes (two
convenings per minute, in an order unlike their ids) for the `updatedSince` sync page. A
version 1 database (the same sizes, no proposals) is extended in place rather than rebuilt.
"""

from __future__ import annotations

import asyncio

import asyncpg

ORGANIZATIONS = 600
PEOPLE = 50_000
CONVENINGS = 2_000
RSVPS_PER_CONVENING = 250
ADMIN_EMAIL = "bench-admin@example.org"
SEATS = 24
PROPOSALS = 1_000
SYNC_MINUTES = 1_000  # convenings' updated_at: two per minute over this many minutes
SYNC_FROM = "2026-02-01T00:00:00Z"  # the first minute of updated_at
# What the database's comment says once it holds this version of the data; bump it whenever
# the statements below change, so that an older hub_bench is extended or rebuilt.
DATASET_VERSION = 2
VERSION_COMMENT = f"coalition-hub bench data set, version {DATASET_VERSION}"

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

# Version 2: the committee, proposals, sponsors and recorded votes, and convenings' updated_at
# spread for the sync page. Runs after FILL_STATEMENTS, or on a version 1 database.
# Seat s (1..SEATS) sits on organization 5s + 1 (a MEMBER: kind is by o % 5); its holder is
# the organization's CONTACT (person o - 1, see the affiliations above) and its alternate the
# member person o + 599, both affiliated with it; person 1 (the admin) holds no seat.
GOVERNANCE_STATEMENTS = [
    f"""
    INSERT INTO committee_seats (id, organization_id, holder_id, alternate_id, active)
    SELECT s, 5 * s + 1, 5 * s, 5 * s + 600, true FROM generate_series(1, {SEATS}) AS s
    """,
    # Proposal p: ADOPTED when p % 4 is 0 or 1, REJECTED when 2, DISCUSSION when 3; created an
    # hour apart, so "oldest first" is by id.
    f"""
    INSERT INTO proposals (id, title, summary, body, status, created_by_id, voting_rule, quorum,
                           ballot, voting_opened_at, voting_closes_at, closed_at,
                           created_at, updated_at)
    SELECT p, 'Proposal ' || p, 'Summary of proposal ' || p, 'The text of proposal ' || p,
           (ARRAY['ADOPTED', 'ADOPTED', 'REJECTED', 'DISCUSSION'])[1 + p % 4], 1 + p % 600,
           CASE WHEN p % 4 < 3 THEN 'MAJORITY' END, CASE WHEN p % 4 < 3 THEN 0.5 END,
           CASE WHEN p % 4 < 3 THEN 'RECORDED' END,
           CASE WHEN p % 4 < 3 THEN created END,
           CASE WHEN p % 4 < 3 THEN created + interval '7 days' END,
           CASE WHEN p % 4 < 3 THEN created + interval '7 days' END,
           created, created + interval '7 days'
    FROM generate_series(1, {PROPOSALS}) AS p,
         LATERAL (SELECT timestamptz '2024-01-01 12:00+00' + p * interval '1 hour' AS created)
         AS at
    """,
    f"""
    INSERT INTO proposal_sponsors (proposal_id, organization_id)
    SELECT p, 1 + p % {ORGANIZATIONS} FROM generate_series(1, {PROPOSALS}) AS p
    UNION ALL
    SELECT p, 1 + (p + {ORGANIZATIONS // 2}) % {ORGANIZATIONS}
    FROM generate_series(2, {PROPOSALS}, 2) AS p
    """,
    """
    INSERT INTO eligible_seats (proposal_id, seat_id)
    SELECT proposals.id, committee_seats.id FROM proposals, committee_seats
    WHERE proposals.status IN ('ADOPTED', 'REJECTED')
    """,
    # Every fourth seat votes against the outcome, every eighth abstains; the holder casts it.
    """
    INSERT INTO votes (proposal_id, seat_id, cast_by_id, choice, reason, cast_as,
                       created_at, updated_at)
    SELECT p.id, s.id, s.holder_id,
           CASE WHEN s.id % 8 = 7 THEN 'ABSTAIN'
                WHEN (s.id % 4 = 3) = (p.status = 'ADOPTED') THEN 'NO' ELSE 'YES' END,
           CASE WHEN s.id % 2 = 0 THEN 'Seat ' || s.id || ' on proposal ' || p.id END,
           'HOLDER', p.voting_opened_at + s.id * interval '1 minute',
           p.voting_opened_at + s.id * interval '1 minute'
    FROM proposals AS p, committee_seats AS s
    WHERE p.status IN ('ADOPTED', 'REJECTED')
    ORDER BY p.id, s.id
    """,
    """
    UPDATE proposals SET result = tally.result
    FROM (SELECT proposal_id, json_build_object(
              'seats_eligible', count(*), 'seats_voted', count(*),
              'yes', count(*) FILTER (WHERE choice = 'YES'),
              'no', count(*) FILTER (WHERE choice = 'NO'),
              'abstain', count(*) FILTER (WHERE choice = 'ABSTAIN'),
              'block', count(*) FILTER (WHERE choice = 'BLOCK'),
              'quorum_threshold', ceil(count(*) * 0.5)::int, 'quorum_met', true,
              'outcome', min(proposals.status)) AS result
          FROM votes JOIN proposals ON proposals.id = votes.proposal_id
          GROUP BY proposal_id) AS tally
    WHERE tally.proposal_id = proposals.id
    """,
    # Two convenings per minute, in the order 7919·c mod SYNC_MINUTES (7919 is prime), so
    # the sync page's (updated_at, id) order is neither by id nor by start time.
    f"""
    UPDATE convenings
    SET updated_at = timestamptz '{SYNC_FROM}'
                     + ((id * 7919) % {SYNC_MINUTES}) * interval '1 minute'
    """,
    *[
        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
        for table in ("committee_seats", "proposals", "votes")
    ],
]

SIZE_QUERY = """
SELECT (SELECT count(*) FROM organizations), (SELECT count(*) FROM people),
       (SELECT count(*) FROM convenings), (SELECT count(*) FROM rsvps),
       (SELECT count(*) FROM people WHERE email = $1 AND is_admin)
"""

EXPECTED_SIZE = (ORGANIZATIONS, PEOPLE, CONVENINGS, CONVENINGS * RSVPS_PER_CONVENING, 1)

GOVERNANCE_SIZE_QUERY = """
SELECT (SELECT count(*) FROM committee_seats), (SELECT count(*) FROM proposals),
       (SELECT count(*) FROM votes),
       (SELECT shobj_description(oid, 'pg_database') FROM pg_database
        WHERE datname = current_database())
"""

CLOSED_PROPOSALS = sum(1 for p in range(1, PROPOSALS + 1) if p % 4 < 3)
EXPECTED_GOVERNANCE_SIZE = (SEATS, PROPOSALS, CLOSED_PROPOSALS * SEATS, VERSION_COMMENT)


DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432"


def server_url(database: str, server: str = DEFAULT_SERVER) -> str:
    return f"{server}/{database}"


async def fill(url: str) -> None:
    """Fills an empty schema at `url` (a plain postgresql:// URL) with the reference data."""
    await _run(url, [*FILL_STATEMENTS, *GOVERNANCE_STATEMENTS])


async def _run(url: str, statements: list[str]) -> None:
    connection = await asyncpg.connect(url)
    try:
        async with connection.transaction():
            for statement in statements:
                await connection.execute(statement)
            database = await connection.fetchval("SELECT current_database()")
            await connection.execute(f"COMMENT ON DATABASE \"{database}\" IS '{VERSION_COMMENT}'")
        await connection.execute("ANALYZE")
    finally:
        await connection.close()


def prepare(database: str, *, fresh: bool) -> str:
    """Makes sure `database` holds the reference data; says what it did."""
    return asyncio.run(_prepare(database, fresh=fresh))


async def _prepare(database: str, *, fresh: bool) -> str:
    held = None if fresh else await _held_version(database)
    if held == DATASET_VERSION:
        return f"reused the existing reference data (version {DATASET_VERSION})"
    if held == 1:
        await _run(server_url(database), GOVERNANCE_STATEMENTS)
        return f"extended the version 1 reference data to version {DATASET_VERSION}"
    await _recreate_database(database)
    await _create_schema(database)
    await fill(server_url(database))
    return "built the reference data"


async def _held_version(database: str) -> int | None:
    """DATASET_VERSION when `database` holds this data set; 1 when it holds the first
    version's (the right sizes, no committee, no proposals), which can be extended in place;
    None otherwise (missing, or anything else: rebuild it)."""
    try:
        connection = await asyncpg.connect(server_url(database))
    except asyncpg.InvalidCatalogNameError:
        return None
    try:
        base = await connection.fetchrow(SIZE_QUERY, ADMIN_EMAIL)
        governance = await connection.fetchrow(GOVERNANCE_SIZE_QUERY)
    except asyncpg.UndefinedTableError:
        return None
    finally:
        await connection.close()
    if tuple(base) != EXPECTED_SIZE:
        return None
    if tuple(governance) == EXPECTED_GOVERNANCE_SIZE:
        return DATASET_VERSION
    if tuple(governance)[:3] == (0, 0, 0):
        return 1
    return None


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

    from hub.infrastructure.models import Base

    engine = create_async_engine(server_url(database).replace("postgresql", "postgresql+asyncpg"))
    try:
        async with engine.begin() as connection:
            await connection.run_sync(Base.metadata.create_all)
    finally:
        await engine.dispose()

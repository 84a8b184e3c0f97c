"""Two hubs on one database, one answering through the compiled path and one with it turned
off, and a seeded directory with every role's viewer: the material of the differential tests."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from hub.app import create_app
from hub.domains.sync import tombstones
from hub.infrastructure.config import Settings
from hub.infrastructure.models import Convening, Organization, Person
from hub.infrastructure.models.base import utcnow
from hub.infrastructure.models.convenings import (
    ConveningKind,
    ConveningStatus,
    RsvpStatus,
    Visibility,
)
from hub.infrastructure.models.directory import (
    AffiliationRole,
    AnchorRole,
    Language,
    OrganizationKind,
    Sector,
)
from hub.infrastructure.models.sync import TombstoneReason
from hub.interfaces.graphql.node import from_global_id, to_global_id
from tests.auth.peers import fetch_token, https_client, register_peer
from tests.convenings.factories import create_convening, create_rsvp, create_series
from tests.factories import affiliate, create_admin, create_organization, create_person
from tests.graphql.compiled.governance_seed import seed_governance
from tests.infrastructure.statements import driver_queries_logged, recorded_statements

ROLES = ("anonymous", "person", "member", "committee", "admin", "peer")


@dataclass
class Answer:
    status: int
    body: Any  # parsed with object_pairs_hook=list: key order is part of the comparison
    statements: list[str]

    @property
    def compiled(self) -> bool:
        """Answered by one statement that built the JSON (budget statements aside)."""
        return any(builds_json(s) for s in self.statements)


def builds_json(statement: str) -> bool:
    """A compiled path's statement: PostgreSQL's json_build_object, SQLite's json_object."""
    return "json_build_object(" in statement or "json_object(" in statement


def parsed(text: str) -> Any:
    return json.loads(text, object_pairs_hook=list)


class Hub:
    """One hub process as a client sees it, with the SQL it runs recorded."""

    def __init__(self, client: httpx.AsyncClient, engine: Any) -> None:
        self.client = client
        self.engine = engine

    async def ask(self, query: str, variables: dict[str, Any] | None, token: str | None) -> Answer:
        seen: list[str] = []
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        body: dict[str, Any] = {"query": query}
        if variables is not None:
            body["variables"] = variables
        with recorded_statements(self.engine, seen.append):
            response = await self.client.post("/graphql", json=body, headers=headers)
            await driver_queries_logged()
        return Answer(response.status_code, parsed(response.text), seen)


@asynccontextmanager
async def running_hub(settings: Settings) -> AsyncIterator[Hub]:
    app = create_app(settings)
    async with app.router.lifespan_context(app), https_client(app) as client:
        yield Hub(client, app.state.runtime.engine)


def unbudgeted(settings: Settings, *, compiled_reads: bool) -> Settings:
    """Budgets large enough never to refuse: the corpus sends hundreds of queries."""
    return dataclasses.replace(
        settings, compiled_reads=compiled_reads, budget_points=10**9, budget_anonymous_points=10**9
    )


@dataclass
class Directory:
    tokens: dict[str, str | None]
    ids: dict[str, str]
    slugs: list[str]


async def seed_directory(session: AsyncSession, hub: Hub, runtime: Any) -> Directory:
    """Organizations, people and affiliations with the awkward values: names beyond ASCII
    (cursors escape them), a datetime without microseconds, nulls, every enum."""
    orgs = [
        await create_organization(
            session,
            name="Café Unidos 😀",
            slug="cafe-unidos",
            kind=OrganizationKind.MEMBER,
            anchor_role=AnchorRole.REGIONAL_ANCHOR,
            sector=Sector.LABOR,
            region="Bay Area",
            counties=["Alameda", "Contra Costa"],
            website="https://cafe.example.org",
            description='Says "hello"\nand \\ more',
        ),
        await create_organization(
            session,
            name="Zeta Coalition",
            slug="zeta",
            kind=OrganizationKind.STRATEGIC_PARTNER,
            created_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        ),
        await create_organization(
            session,
            name="Alpha Faith",
            slug="alpha",
            kind=OrganizationKind.ALLY,
            sector=Sector.FAITH,
        ),
        await create_organization(
            session,
            name="Ñandú Labor",
            slug="nandu",
            anchor_role=AnchorRole.STATE_ANCHOR,
            region="Central Valley",
        ),
        await create_organization(
            session, name="Florida Caucus", slug="fl", kind=OrganizationKind.PEER, state="FL"
        ),
    ]
    admin = await create_admin(session, name="Ada Admin", email="ada@example.org", phone="+1 1")
    member = await create_person(
        session, name="Rosa Member", phone="+1 2", preferred_language=Language.ES
    )
    committee = await create_person(session, name="Carmen Committee")
    loner = await create_person(session, name="Lone Person", email="lone@example.org")
    contact = await affiliate(
        session,
        member,
        orgs[0],
        AffiliationRole.CONTACT,
        title="Organizer",
        work_email="rosa@cafe.example.org",
        work_phone="+1 3",
    )
    await affiliate(session, member, orgs[3], AffiliationRole.STAFF)
    await affiliate(session, committee, orgs[1], AffiliationRole.LEADER)
    await affiliate(session, admin, orgs[2], AffiliationRole.MEMBER, work_email="ada@alpha.org")
    convening_ids = await seed_convenings(session, orgs, [member, committee, loner, admin])
    public = int(from_global_id(convening_ids["convening"])[1])
    committee_ids = await seed_governance(session, orgs, [admin, committee], public)
    await session.commit()
    registered = await register_peer(session, name="Georgia Peer")
    peer_token = await fetch_token(hub.client, registered)
    tokens: dict[str, str | None] = {
        "anonymous": None,
        "person": _token(runtime, loner.id),
        "member": _token(runtime, member.id),
        "committee": _token(runtime, committee.id),
        "admin": _token(runtime, admin.id),
        "peer": peer_token,
    }
    ids = {
        "organization": to_global_id("Organization", orgs[0].id),
        "person": to_global_id("Person", member.id),
        "affiliation": to_global_id("Affiliation", contact.id),
        **convening_ids,
        **committee_ids,
    }
    return Directory(tokens, ids, [o.slug for o in orgs])


async def seed_convenings(
    session: AsyncSession, orgs: list[Organization], people: list[Person]
) -> dict[str, str]:
    """Convenings of every visibility in zones east and west of UTC and at half hours, one
    past, one cancelled (its tombstone shows to who saw it), an organization's tombstone; RSVPs
    of every status, with and without an organization, one checked in, needs of every kind
    (some on an RSVP that is not GOING, which the totals leave out)."""
    soon = utcnow().replace(microsecond=0) + timedelta(days=20)
    public = await create_convening(
        session,
        hosts=[orgs[2], orgs[0]],
        title="Assembly «Sí»",
        visibility=Visibility.PUBLIC,
        starts_at=soon.replace(microsecond=123400),
        rsvp_deadline=soon - timedelta(days=2),
        capacity=2,
        delegate_limit=1,
        virtual_url="https://meet.example.org/a",
        languages=["es", "vi"],
    )
    await create_convening(
        session,
        hosts=[orgs[1]],
        title="Committee call",
        visibility=Visibility.COMMITTEE,
        kind=ConveningKind.CAUCUS_CALL,
        time_zone="America/St_Johns",
        starts_at=soon + timedelta(days=40),
        series_id=(await create_series(session, slug="calls")).id,
    )
    await create_convening(
        session,
        hosts=[orgs[3]],
        title="Past training",
        kind=ConveningKind.TRAINING,
        status=ConveningStatus.COMPLETED,
        time_zone="Asia/Kolkata",
        starts_at=soon - timedelta(days=400),
    )
    members_only = await create_convening(
        session, hosts=[orgs[0]], title="Members' session", time_zone="UTC", starts_at=soon
    )
    cancelled = await create_convening(
        session, hosts=[orgs[0]], title="Cancelled meetup", starts_at=soon + timedelta(days=3)
    )
    await cancel(session, cancelled)
    await tombstones.record(session, "Organization", 999, TombstoneReason.DELETED)
    member, committee, loner, admin = people
    going = await create_rsvp(
        session,
        public,
        member,
        organization_id=orgs[0].id,
        checked_in_at=soon.replace(microsecond=5),
        interpretation_language="vi",
        accessibility=["QUIET_SPACE", "ASL"],
        accessibility_note="Near the door «por favor»",
        childcare_count=2,
        dietary="Vegano",
    )
    await create_rsvp(
        session, public, committee, RsvpStatus.MAYBE, organization_id=orgs[1].id, dietary="None"
    )
    await create_rsvp(session, public, loner, RsvpStatus.WAITLISTED, waitlist_position=1)
    await create_rsvp(
        session,
        public,
        admin,
        organization_id=orgs[2].id,
        interpretation_language="es",
        accessibility=["ASL"],
        childcare_count=1,
        dietary="Sin gluten 😀",
    )
    await create_rsvp(session, members_only, loner, RsvpStatus.NOT_GOING)
    return {
        "convening": to_global_id("Convening", public.id),
        "members' convening": to_global_id("Convening", members_only.id),
        "rsvp": to_global_id("Rsvp", going.id),
    }


async def cancel(session: AsyncSession, convening: Convening) -> None:
    convening.status = ConveningStatus.CANCELLED
    await tombstones.convening_left(session, convening, TombstoneReason.CANCELLED)


def _token(runtime: Any, person_id: int) -> str:
    return runtime.signer.issue(f"person:{person_id}", 3600)  # type: ignore[no-any-return]

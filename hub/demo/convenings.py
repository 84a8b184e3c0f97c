"""Demo convenings and RSVPs: the 2011 Collaborative Strategy Sessions (the first, in South LA,
drew about 70 people from 44 groups) and a few upcoming convenings, some already full."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from hub.demo.directory import DemoDirectory
from hub.infrastructure.models import (
    Convening,
    ConveningHost,
    ConveningSeries,
    Organization,
    Person,
    Rsvp,
)
from hub.infrastructure.models.base import utcnow
from hub.infrastructure.models.convenings import (
    AccessibilityNeed,
    ConveningKind,
    ConveningStatus,
    RsvpStatus,
    Visibility,
)

PACIFIC = ZoneInfo("America/Los_Angeles")
SCOPE = "strategic-concepts-in-organizing-policy-education-scope"


@dataclass
class DemoConvenings:
    by_key: dict[str, Convening] = field(default_factory=dict)
    rsvps: int = 0

    def summary(self) -> str:
        return f"{len(self.by_key)} convenings, {self.rsvps} RSVPs"


@dataclass(frozen=True)
class Plan:
    key: str
    title: str
    kind: ConveningKind
    starts_at: datetime
    hours: int
    hosts: list[str]
    venue: tuple[str | None, str | None]
    description: str = ""
    capacity: int | None = None
    delegate_limit: int | None = None
    virtual_url: str | None = None
    visibility: Visibility = Visibility.MEMBERS
    status: ConveningStatus = ConveningStatus.SCHEDULED
    # (people answering GOING, organizations they come from, share checked in)
    going: tuple[int, int] = (0, 0)
    attended: float = 0.0


def _at(year: int, month: int, day: int, hour: int) -> datetime:
    return datetime(year, month, day, hour, tzinfo=PACIFIC)


def _upcoming(days: int, hour: int) -> datetime:
    day = (utcnow() + timedelta(days=days)).astimezone(PACIFIC)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0)


def _plans() -> list[Plan]:
    return [
        Plan(
            "strategy-2011-01",
            "Collaborative Strategy Session: building power in South LA",
            ConveningKind.STRATEGY_SESSION,
            _at(2011, 1, 27, 10),
            5,
            [SCOPE],
            ("SCOPE community room", "South Los Angeles, CA"),
            "The first of the year's sessions: regional anchors, state anchors and strategic "
            "partners map a shared agenda for the state budget fight.",
            capacity=80,
            status=ConveningStatus.COMPLETED,
            going=(70, 44),
            attended=0.9,
        ),
        Plan(
            "strategy-2011-07",
            "Collaborative Strategy Session: closing the $28 billion budget gap",
            ConveningKind.STRATEGY_SESSION,
            _at(2011, 7, 21, 10),
            5,
            ["acce-action", "community-coalition"],
            ("Sacramento Convention Center, Room 204", "1400 J St, Sacramento, CA"),
            "Revenue options, cuts to stop, and who carries which piece to the Capitol.",
            capacity=60,
            status=ConveningStatus.COMPLETED,
            going=(52, 30),
            attended=0.85,
        ),
        Plan(
            "strategy-2011-10",
            "Collaborative Strategy Session: toward a 2012 revenue measure",
            ConveningKind.STRATEGY_SESSION,
            _at(2011, 10, 13, 10),
            5,
            ["oakland-rising"],
            ("Oakland Rising office", "Oakland, CA"),
            capacity=50,
            status=ConveningStatus.COMPLETED,
            going=(41, 26),
            attended=0.8,
        ),
        Plan(
            "upcoming-training",
            "Budget advocacy training (en español e inglés)",
            ConveningKind.TRAINING,
            _upcoming(14, 18),
            2,
            ["community-coalition"],
            ("Community Coalition", "8101 S Vermont Ave, Los Angeles, CA"),
            capacity=12,
            visibility=Visibility.PUBLIC,
            going=(16, 12),
        ),
        Plan(
            "upcoming-strategy",
            "Strategy Session: Central Valley",
            ConveningKind.STRATEGY_SESSION,
            _upcoming(45, 10),
            5,
            ["dolores-huerta-foundation", "fresno-barrio-leadership-project"],
            ("Fresno Barrio Leadership Project hall", "Fresno, CA"),
            capacity=30,
            delegate_limit=2,
            going=(34, 20),
        ),
        Plan(
            "upcoming-committee",
            "Coordinating Committee monthly call",
            ConveningKind.COMMITTEE_MEETING,
            _upcoming(9, 17),
            1,
            [SCOPE],
            (None, None),
            virtual_url="https://meet.example.org/coordinating-committee",
            visibility=Visibility.COMMITTEE,
        ),
    ]


async def load_convenings(session: AsyncSession, directory: DemoDirectory) -> DemoConvenings:
    rng = random.Random(2011)
    demo = DemoConvenings()
    series = ConveningSeries(slug="strategy-2011", name="2011 Collaborative Strategy Sessions")
    session.add(series)
    await session.flush()
    for plan in _plans():
        convening = _convening(plan, series if plan.key.startswith("strategy-2011") else None)
        session.add(convening)
        await session.flush()
        for slug in plan.hosts:
            host = directory.organizations[slug]
            session.add(ConveningHost(convening_id=convening.id, organization_id=host.id))
        demo.rsvps += _answer(session, rng, convening, plan, _delegates(rng, directory, plan))
        demo.by_key[plan.key] = convening
    await session.flush()
    return demo


def _convening(plan: Plan, series: ConveningSeries | None) -> Convening:
    venue_name, venue_address = plan.venue
    return Convening(
        title=plan.title,
        kind=plan.kind,
        series_id=series.id if series else None,
        description=plan.description,
        starts_at=plan.starts_at,
        ends_at=plan.starts_at + timedelta(hours=plan.hours),
        time_zone=PACIFIC.key,
        venue_name=venue_name,
        venue_address=venue_address,
        virtual_url=plan.virtual_url,
        capacity=plan.capacity,
        delegate_limit=plan.delegate_limit,
        rsvp_deadline=plan.starts_at - timedelta(days=3),
        languages=["es"],
        visibility=plan.visibility,
        status=plan.status,
        going_count=0,
        sequence=0,
    )


def _delegates(
    rng: random.Random, directory: DemoDirectory, plan: Plan
) -> list[tuple[Person, Organization]]:
    """`people` from `groups` organizations: every group's first person (its contact), then
    more from the same groups, never more than a group has (nor its delegate limit)."""
    people, groups = plan.going
    in_alliance = [
        slug for slug, org in directory.organizations.items() if org.kind.value != "PEER"
    ]
    chosen = rng.sample(in_alliance, min(groups, len(in_alliance)))
    picked = [(directory.people_by_org[slug][0], slug) for slug in chosen]
    limit = plan.delegate_limit or 99
    for extra in range(1, limit):
        picked += [
            (directory.people_by_org[slug][extra], slug)
            for slug in chosen
            if len(directory.people_by_org[slug]) > extra
        ]
    return [(person, directory.organizations[slug]) for person, slug in picked[:people]]


def _answer(
    session: AsyncSession,
    rng: random.Random,
    convening: Convening,
    plan: Plan,
    delegates: list[tuple[Person, Organization]],
) -> int:
    """Writes GOING answers in order, the waitlist taking those beyond capacity."""
    waiting = 0
    for person, organization in delegates:
        rsvp = Rsvp(
            convening_id=convening.id,
            person_id=person.id,
            organization_id=organization.id,
            responded_by_id=person.id,
            **_needs(rng, person),
        )
        if plan.capacity is None or convening.going_count < plan.capacity:
            rsvp.status = RsvpStatus.GOING
            convening.going_count += 1
            if rng.random() < plan.attended:
                rsvp.checked_in_at = plan.starts_at + timedelta(minutes=rng.randint(-20, 40))
        else:
            waiting += 1
            rsvp.status = RsvpStatus.WAITLISTED
            rsvp.waitlist_position = waiting
        session.add(rsvp)
    return len(delegates)


def _needs(rng: random.Random, person: Person) -> dict[str, object]:
    spanish = person.preferred_language.value == "es"
    accessibility = []
    if rng.random() < 0.06:
        accessibility.append(rng.choice(list(AccessibilityNeed)).value)
    return {
        "interpretation_language": "es" if spanish and rng.random() < 0.7 else None,
        "accessibility": accessibility,
        "accessibility_note": "Seat near the door, please." if accessibility else "",
        "childcare_count": rng.choice([0, 0, 0, 0, 0, 1, 2]),
        "dietary": rng.choice(["", "", "", "", "Vegetarian", "Vegetariana", "No pork"]),
    }

"""Reading convenings: upcoming first, filters, visibility, counts, and a constant number of
statements however many convenings and RSVPs a page holds."""

from __future__ import annotations

from datetime import timedelta

from hub.infrastructure.models import CommitteeSeat
from hub.infrastructure.models.base import utcnow
from hub.infrastructure.models.convenings import (
    ConveningKind,
    ConveningStatus,
    RsvpStatus,
    Visibility,
)
from tests.convenings.factories import (
    create_contact,
    create_convening,
    create_member,
    create_rsvp,
    create_series,
)
from tests.factories import create_organization, create_person
from tests.graphql.convenings.documents import gid

CONVENINGS = """
query ($first: Int, $after: String, $from: DateTime, $to: DateTime, $kind: ConveningKind,
       $series: String, $status: ConveningStatus, $host: String) {
  convenings(first: $first, after: $after, from: $from, to: $to, kind: $kind,
             seriesSlug: $series, status: $status, hostSlug: $host) {
    totalCount
    edges { node { title } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


def _titles(data: dict) -> list[str]:
    return [edge["node"]["title"] for edge in data["convenings"]["edges"]]


async def test_upcoming_first_and_past_ones_on_request(session, gql):
    member = await create_member(session)
    now = utcnow()
    for title, days in [("Later", 30), ("Past", -30), ("Sooner", 3), ("Latest", 60)]:
        await create_convening(session, title=title, starts_at=now + timedelta(days=days))
    await session.commit()

    upcoming = await gql.data(CONVENINGS, {"first": 2}, as_=member)
    rest = await gql.data(
        CONVENINGS,
        {"first": 2, "after": upcoming["convenings"]["pageInfo"]["endCursor"]},
        as_=member,
    )
    everything = await gql.data(CONVENINGS, {"from": "2000-01-01T00:00:00"}, as_=member)
    before = await gql.data(CONVENINGS, {"to": (now + timedelta(days=10)).isoformat()}, as_=member)

    assert (_titles(upcoming), upcoming["convenings"]["totalCount"]) == (["Sooner", "Later"], 3)
    assert _titles(rest) == ["Latest"]
    assert _titles(everything) == ["Past", "Sooner", "Later", "Latest"]
    assert _titles(before) == ["Past", "Sooner"]


async def test_filters_by_kind_series_status_and_host(session, gql):
    member = await create_member(session)
    scope = await create_organization(session, slug="scope")
    series = await create_series(session, slug="strategy-2011")
    await create_convening(session, title="Session", hosts=[scope], series_id=series.id)
    await create_convening(session, title="Training", kind=ConveningKind.TRAINING)
    await create_convening(session, title="Called off", status=ConveningStatus.CANCELLED)
    await session.commit()

    assert _titles(await gql.data(CONVENINGS, {"kind": "TRAINING"}, as_=member)) == ["Training"]
    assert _titles(await gql.data(CONVENINGS, {"series": "strategy-2011"}, as_=member)) == [
        "Session"
    ]
    assert _titles(await gql.data(CONVENINGS, {"status": "CANCELLED"}, as_=member)) == [
        "Called off"
    ]
    assert _titles(await gql.data(CONVENINGS, {"host": "scope"}, as_=member)) == ["Session"]


async def test_visibility_limits_lists_nodes_and_counts(session, gql):
    host = await create_organization(session)
    host_contact = await create_contact(session, host)
    member = await create_member(session)
    seat_holder = await create_member(session)
    outsider = await create_person(session)
    session.add(CommitteeSeat(organization_id=host.id, holder_id=seat_holder.id, active=True))
    public = await create_convening(session, title="Public", visibility=Visibility.PUBLIC)
    await create_convening(session, title="Members", visibility=Visibility.MEMBERS)
    committee = await create_convening(
        session, title="Committee", visibility=Visibility.COMMITTEE, hosts=[host]
    )
    await create_rsvp(session, committee, seat_holder)
    await session.commit()

    seen = {}
    for name, viewer in [
        ("anonymous", None),
        ("outsider", outsider),
        ("member", member),
        ("seat holder", seat_holder),
        ("host contact", host_contact),
    ]:
        seen[name] = _titles(await gql.data(CONVENINGS, as_=viewer))

    assert seen == {
        "anonymous": ["Public"],
        "outsider": ["Public"],
        "member": ["Public", "Members"],
        "seat holder": ["Public", "Members", "Committee"],
        "host contact": ["Public", "Members", "Committee"],
    }
    node = "query ($id: ID!) { node(id: $id) { ... on Convening { title counts { going } } } }"
    hidden = await gql.data(node, {"id": gid("Convening", committee.id)}, as_=member)
    shown = await gql.data(node, {"id": gid("Convening", committee.id)}, as_=seat_holder)
    assert hidden == {"node": None}
    assert shown == {"node": {"title": "Committee", "counts": {"going": 1}}}
    assert (await gql.data(node, {"id": gid("Convening", public.id)})) == {
        "node": {"title": "Public", "counts": {"going": 0}}
    }


async def test_counts(session, gql):
    member = await create_member(session)
    convening = await create_convening(session, capacity=2)
    orgs = [await create_organization(session) for _ in range(2)]
    plan = [
        (RsvpStatus.GOING, orgs[0], True),
        (RsvpStatus.GOING, orgs[0], False),
        (RsvpStatus.MAYBE, orgs[1], False),
        (RsvpStatus.NOT_GOING, orgs[1], False),
        (RsvpStatus.WAITLISTED, orgs[1], False),
    ]
    for position, (status, org, arrived) in enumerate(plan):
        await create_rsvp(
            session,
            convening,
            await create_person(session),
            status,
            organization_id=org.id,
            checked_in_at=utcnow() if arrived else None,
            waitlist_position=position if status == RsvpStatus.WAITLISTED else None,
        )
    await session.commit()

    data = await gql.data(
        """{ convenings { edges { node { counts { going maybe waitlisted notGoing attended
                                               organizationsRepresented } } } } }""",
        as_=member,
    )

    assert data["convenings"]["edges"][0]["node"]["counts"] == {
        "going": 2,
        "maybe": 1,
        "waitlisted": 1,
        "notGoing": 1,
        "attended": 1,
        "organizationsRepresented": 1,
    }


NESTED = """
query ($host: String) { convenings(first: 50, hostSlug: $host) { totalCount edges { node {
    title startsAt hosts { name } series { name } counts { going organizationsRepresented }
    needsTotals { childcarePlaces } viewerRsvp { status }
    rsvps(first: 20) { totalCount pageInfo { hasNextPage }
      edges { node { status needs { dietary } checkedInAt person { name } organization { name }
      } } } } } } }
"""


async def _arrange(session, slug: str, convenings: int, rsvps_each: int):
    host = await create_organization(session, slug=slug)
    contact = await create_contact(session, host)
    series = await create_series(session)
    for _ in range(convenings):
        convening = await create_convening(session, hosts=[host], series_id=series.id)
        for _ in range(rsvps_each):
            org = await create_organization(session)
            await create_rsvp(
                session, convening, await create_member(session, org), organization_id=org.id
            )
    await session.commit()
    return contact


async def test_statements_do_not_grow_with_convenings_or_rsvps(session, gql, statements):
    small_viewer = await _arrange(session, "small", convenings=2, rsvps_each=2)
    large_viewer = await _arrange(session, "large", convenings=20, rsvps_each=20)

    statements.statements.clear()
    small = await gql.data(NESTED, {"host": "small"}, as_=small_viewer)
    small_count = statements.count
    statements.statements.clear()
    large = await gql.data(NESTED, {"host": "large"}, as_=large_viewer)

    assert len(small["convenings"]["edges"]) == 2
    assert len(large["convenings"]["edges"]) == 20
    assert all(len(e["node"]["rsvps"]["edges"]) == 20 for e in large["convenings"]["edges"])
    assert all(e["node"]["needsTotals"] is not None for e in large["convenings"]["edges"])
    assert statements.count == small_count, "\n".join(statements.statements)

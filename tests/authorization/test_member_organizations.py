""" "Members" are the people of MEMBER and STRATEGIC_PARTNER organizations. People of ALLY and
PEER organizations see the public slice and what concerns them personally (their own person,
affiliations and RSVPs), on the normal and (on PostgreSQL) the compiled read path alike."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from hub.domains.governance import voting
from hub.infrastructure.models import Organization, Person
from hub.infrastructure.models.convenings import RsvpStatus, Visibility
from hub.infrastructure.models.directory import OrganizationKind
from hub.infrastructure.models.governance import ProposalStatus, VoteChoice
from tests.convenings.factories import create_contact, create_convening, create_member, create_rsvp
from tests.factories import create_admin, create_organization
from tests.governance.factories import (
    TEST_BALLOT_KEY,
    create_open_vote,
    create_proposal,
    create_seat,
)

CONVENINGS = "{ convenings { totalCount edges { node { title rsvps { totalCount } } } } }"
PEOPLE = "{ people { totalCount edges { node { name } } } }"
PROPOSALS = "{ proposals { edges { node { title votes { seat { id } } } } } }"
VIEWER_RSVP = "{ convenings { edges { node { title viewerRsvp { status } } } } }"


@dataclass
class Alliance:
    member: Person
    partner: Person  # of a STRATEGIC_PARTNER organization
    ally: Person
    peer: Person
    ally_host: Person  # the contact of an ALLY organization hosting a public convening
    ally_org_id: int


@pytest.fixture
async def alliance(session: Any) -> Alliance:
    member = await create_member(session, name="Member Person")
    partner_org = await create_organization(session, kind=OrganizationKind.STRATEGIC_PARTNER)
    partner = await create_member(session, partner_org, name="Partner Person")
    ally_org = await create_organization(session, kind=OrganizationKind.ALLY)
    ally = await create_member(session, ally_org, name="Ally Person")
    peer_org = await create_organization(session, kind=OrganizationKind.PEER, state="NY")
    peer = await create_member(session, peer_org, name="Peer Person")
    ally_host = await create_contact(session, ally_org)
    await _convenings(session, member, ally, ally_org)
    await _proposals(session)
    await session.commit()
    return Alliance(member, partner, ally, peer, ally_host, ally_org.id)


async def _convenings(session: Any, member: Person, ally: Person, ally_org: Organization) -> None:
    public = await create_convening(session, title="Public", visibility=Visibility.PUBLIC)
    members_only = await create_convening(session, title="Members only")
    hosted = await create_convening(
        session, [ally_org], title="Hosted by the ally", visibility=Visibility.PUBLIC
    )
    await create_rsvp(session, public, member)
    await create_rsvp(session, public, ally, RsvpStatus.MAYBE)
    await create_rsvp(session, members_only, member)
    await create_rsvp(session, hosted, member)


async def _proposals(session: Any) -> None:
    admin = await create_admin(session)
    seated = await create_seat(session)
    await create_proposal(session, title="Under discussion", status=ProposalStatus.DISCUSSION)
    closed = await create_open_vote(session, admin=admin, title="Recorded and closed")
    now = datetime.now(UTC)
    viewer = seated.holder_viewer
    await voting.cast_vote(
        session, viewer, closed.id, VoteChoice.YES, seat_id=seated.seat.id,
        ballot_key=TEST_BALLOT_KEY, now=now,
    )  # fmt: skip
    await voting.close_proposal(
        session,
        closed.id,
        ballot_key=TEST_BALLOT_KEY,
        now=now + timedelta(seconds=1),
        due_only=False,
    )


def _convening_rsvps(data: dict) -> dict[str, int | None]:
    return {
        edge["node"]["title"]: (edge["node"]["rsvps"] or {}).get("totalCount")
        for edge in data["convenings"]["edges"]
    }


async def _view(gql: Any, person: Person) -> tuple[dict, int, list]:
    """What the person sees: convenings with their RSVP counts, how many people, and the
    proposals with how many votes by seat."""
    convenings = _convening_rsvps(await gql.data(CONVENINGS, as_=person))
    people = (await gql.data(PEOPLE, as_=person))["people"]["totalCount"]
    proposals = (await gql.data(PROPOSALS, as_=person))["proposals"]["edges"]
    return convenings, people, [(p["node"]["title"], len(p["node"]["votes"])) for p in proposals]


@pytest.mark.parametrize("who", ["member", "partner"])
async def test_people_of_member_and_partner_organizations_get_the_member_view(gql, alliance, who):
    convenings, people, proposals = await _view(gql, getattr(alliance, who))

    assert convenings == {"Public": 2, "Members only": 1, "Hosted by the ally": 1}
    assert people > 5
    assert proposals == [("Under discussion", 0), ("Recorded and closed", 1)]


@pytest.mark.parametrize("who", ["ally", "peer"])
async def test_people_of_ally_and_peer_organizations_see_the_public_slice(gql, alliance, who):
    person = getattr(alliance, who)

    convenings, people, proposals = await _view(gql, person)
    listed = await gql.data(PEOPLE, as_=person)
    assert people == 1

    assert convenings == {"Public": None, "Hosted by the ally": None}
    assert [edge["node"]["name"] for edge in listed["people"]["edges"]] == [person.name]
    assert proposals == [("Recorded and closed", 0)]


async def test_an_ally_sees_their_own_rsvp(gql, alliance):
    data = await gql.data(VIEWER_RSVP, as_=alliance.ally)

    answers = {e["node"]["title"]: e["node"]["viewerRsvp"] for e in data["convenings"]["edges"]}
    assert answers == {"Public": {"status": "MAYBE"}, "Hosted by the ally": None}


async def test_an_ally_contact_sees_who_comes_to_what_their_organization_hosts(gql, alliance):
    convenings = _convening_rsvps(await gql.data(CONVENINGS, as_=alliance.ally_host))
    attendees = await gql.data(
        "{ convenings { edges { node { title rsvps { edges { node { person { name } } } } } } } }",
        as_=alliance.ally_host,
    )

    assert convenings == {"Public": None, "Hosted by the ally": 1}
    hosted = [e["node"] for e in attendees["convenings"]["edges"] if e["node"]["rsvps"]]
    assert hosted == [
        {
            "title": "Hosted by the ally",
            "rsvps": {"edges": [{"node": {"person": {"name": "Member Person"}}}]},
        }
    ]


async def test_an_organization_becoming_a_member_gives_its_people_the_member_view_at_once(
    session, gql, alliance
):
    before = _convening_rsvps(await gql.data(CONVENINGS, as_=alliance.ally))
    ally_org = await session.get_one(Organization, alliance.ally_org_id)
    ally_org.kind = OrganizationKind.MEMBER
    await session.commit()

    after = _convening_rsvps(await gql.data(CONVENINGS, as_=alliance.ally))

    assert before == {"Public": None, "Hosted by the ally": None}
    assert after == {"Public": 2, "Members only": 1, "Hosted by the ally": 1}
